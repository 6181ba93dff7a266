import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DELIVERY_STATUSES } from '../../storage/delivery.documents';

// The response bodies of the delivery routes, for the OpenAPI document only (the handlers return
// the plain views of application/delivery.view.ts; these classes mirror them).

export class LastAttemptResponse {
  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'null when no response came.' })
  responseStatus: number | null;

  @ApiProperty({ type: 'string', nullable: true })
  error: string | null;
}

export class DeliveryResponse {
  @ApiProperty({ example: 'dlv_…' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  webhookId: string;

  @ApiProperty()
  eventId: string;

  @ApiProperty({ example: 'license.created' })
  eventType: string;

  @ApiProperty({ example: 'production' })
  environment: string;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status: string;

  @ApiProperty({ type: 'integer' })
  attemptCount: number;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'When the next attempt is due; null once the delivery is finished.',
  })
  nextAttemptAt: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: () => LastAttemptResponse, nullable: true })
  lastAttempt: LastAttemptResponse | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'Why a failed delivery ended.' })
  failureReason: string | null;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description:
      'Who made the latest manual request (`user:<sub>`: retry, recover, bulk retry, test send), ' +
      'also one not made yet; null when only the schedule has attempted it.',
  })
  requestedBy: string | null;
}

export class DeliveryPayloadResponse {
  @ApiProperty({ description: 'The platform event id, also sent as `webhook-id`.' })
  id: string;

  @ApiProperty({ example: 'license.created' })
  type: string;

  @ApiProperty({ example: 'production' })
  environment: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  data: Record<string, unknown>;
}

export class DeliveryAttemptResponse {
  @ApiProperty({ type: 'integer' })
  number: number;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ enum: ['automatic', 'manual'] })
  trigger: 'automatic' | 'manual';

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Who asked for a manual attempt (`user:<sub>`).',
  })
  requestedBy: string | null;

  @ApiProperty()
  url: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'As sent, each signature `[redacted]`.',
  })
  requestHeaders: Record<string, string>;

  @ApiProperty({ type: 'integer', nullable: true })
  responseStatus: number | null;

  @ApiProperty({ type: 'integer' })
  durationMs: number;

  @ApiProperty({ type: 'string', nullable: true })
  error: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  responseBody: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Set on a second send of attempt `duplicateOf`.',
  })
  duplicateOf?: number;
}

export class DeliveryDetailResponse extends DeliveryResponse {
  @ApiProperty({
    type: () => DeliveryPayloadResponse,
    nullable: true,
    description: 'The body sent; null when the event is no longer stored.',
  })
  payload: DeliveryPayloadResponse | null;

  @ApiProperty({ type: () => [DeliveryAttemptResponse] })
  attempts: DeliveryAttemptResponse[];
}

export class DeliveryPageResponse {
  @ApiProperty({ type: () => [DeliveryResponse] })
  items: DeliveryResponse[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Pass as `cursor`; null at the end.',
  })
  nextCursor: string | null;
}

export class RecoveryResultResponse {
  @ApiProperty({ type: 'integer', description: 'Failed deliveries now due for a manual attempt.' })
  recovered: number;

  @ApiProperty({ description: 'More were eligible than one call re-sends: call again.' })
  capped: boolean;

  @ApiProperty({ type: 'integer' })
  maxPerCall: number;
}

export class RecoveryPreviewResponse {
  @ApiProperty({ type: 'integer', description: 'Failed deliveries a recovery would re-send now.' })
  recoverable: number;

  @ApiProperty({ description: 'More than one call re-sends: a recovery would be capped.' })
  capped: boolean;

  @ApiProperty({ type: 'integer' })
  maxPerCall: number;
}

export class BulkRetryResultResponse {
  @ApiProperty({ type: 'integer', description: 'Failed deliveries this call re-sent.' })
  retried: number;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Call again with it as `cursor` to go on; null when the set is done.',
  })
  nextCursor: string | null;
}

export class BulkRetryCountResponse {
  @ApiProperty({ type: 'integer', description: 'Matching failed deliveries, up to 10,000.' })
  count: number;

  @ApiProperty({
    description: 'There may be more than `count` (10,000 reached, or the read bound).',
  })
  capped: boolean;
}
