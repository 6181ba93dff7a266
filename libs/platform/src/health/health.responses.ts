import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

// The probes' bodies, for the OpenAPI document (HealthController returns Terminus' own objects).

export class LivenessResponse {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';

  @ApiProperty({ type: 'integer' })
  uptimeSeconds: number;
}

const INDICATORS: { type: 'object'; additionalProperties: SchemaObject } = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    required: ['status'],
    additionalProperties: true,
  },
};

/** Terminus' health check result: each readiness indicator by name, up or down. */
export class ReadinessResponse {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] })
  status: string;

  @ApiPropertyOptional({ ...INDICATORS, description: 'The indicators that are up.' })
  info?: Record<string, unknown>;

  @ApiPropertyOptional({ ...INDICATORS, description: 'The indicators that are down.' })
  error?: Record<string, unknown>;

  @ApiProperty({ ...INDICATORS, description: 'Every indicator.' })
  details: Record<string, unknown>;
}
