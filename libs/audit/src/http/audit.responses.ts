import { ApiProperty } from '@nestjs/swagger';

export class AuditSubjectResponse {
  @ApiProperty({
    enum: ['webhook', 'settings'],
    description:
      '`webhook`: a webhook (`id` its id); `settings`: a setting (`id` e.g. `retry-policy`)',
  })
  kind: 'webhook' | 'settings';

  @ApiProperty({ example: 'retry-policy' })
  id: string;
}

export class AuditEntryResponse {
  @ApiProperty({ type: 'integer', description: 'The place in the global log' })
  position: number;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ example: 'SecretRevealed' })
  type: string;

  @ApiProperty({ example: 'user:alice' })
  actor: string;

  @ApiProperty()
  correlationId: string;

  @ApiProperty({ type: () => AuditSubjectResponse })
  subject: AuditSubjectResponse;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The event's data without its subject's id and without anything secret",
  })
  details: Record<string, unknown>;
}

export class AuditPageResponse {
  @ApiProperty({ type: () => [AuditEntryResponse], description: 'Newest first' })
  items: AuditEntryResponse[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Pass as `cursor` for the next (older) page; null at the end.',
  })
  nextCursor: string | null;
}
