import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ENVIRONMENTS, EVENT_TYPES } from '../domain/event-catalogue';
import { PAUSE_KINDS, type PauseKind } from '../domain/webhook.events';
import { WebhookRetryPolicyDto } from './webhook.dtos';

// The response bodies of the webhook routes, for the OpenAPI document only (the handlers return
// the plain views of application/*.ts; these classes mirror them and are never instantiated).

/** An automatic pause (WebhookView.pause). */
export class WebhookPauseResponse {
  @ApiProperty({
    example: 'the endpoint answered 410 Gone',
    description: 'Why, in words, as the webhook\u2019s history records it.',
  })
  reason: string;

  @ApiProperty({
    enum: PAUSE_KINDS,
    description:
      '`gone`: the endpoint answered 410 Gone; `failing`: every attempt failed for `DELIVERY_DISABLE_AFTER_HOURS`.',
  })
  kind: PauseKind;

  @ApiProperty({ format: 'date-time', description: 'When it was paused.' })
  at: string;
}

export class WebhookResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'CRM Sync' })
  name: string;

  @ApiProperty({ example: 'https://crm.example.com/hooks/lmp' })
  url: string;

  @ApiProperty({ enum: ENVIRONMENTS })
  environment: (typeof ENVIRONMENTS)[number];

  @ApiProperty({ enum: EVENT_TYPES, isArray: true, example: ['license.created'] })
  eventTypes: string[];

  @ApiProperty({ type: 'integer', description: 'How many event types it subscribes to.' })
  eventCount: number;

  @ApiProperty({ type: 'string', nullable: true })
  description: string | null;

  @ApiProperty({ enum: ['active', 'inactive', 'deleted'] })
  status: 'active' | 'inactive' | 'deleted';

  @ApiProperty({
    enum: ['admin', 'automatic'],
    nullable: true,
    description: 'Why an inactive webhook is paused: by an admin, or automatically after failures.',
  })
  deactivationReason: 'admin' | 'automatic' | null;

  @ApiProperty({
    type: () => WebhookPauseResponse,
    nullable: true,
    description:
      'Why and since when the delivery side paused it (`deactivationReason: automatic`); null while active, after an admin\u2019s deactivation, and once re-activated.',
  })
  pause: WebhookPauseResponse | null;

  @ApiProperty({ example: 'whsec_…a1B2', description: 'The last characters of the secret.' })
  secretHint: string;

  @ApiProperty({
    enum: ['symmetric', 'asymmetric'],
    description:
      '`symmetric`: a `whsec_` secret signs `v1`; `asymmetric`: an ed25519 key signs `v1a`.',
  })
  signatureScheme: 'symmetric' | 'asymmetric';

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'The `whpk_…` public key of an asymmetric webhook, else null.',
  })
  publicKey: string | null;

  @ApiProperty({
    type: WebhookRetryPolicyDto,
    nullable: true,
    description:
      'Its own retry policy; null: the default one (GET /settings/retry-policy) applies.',
  })
  retryPolicy: WebhookRetryPolicyDto | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 1,
    description: 'Requests per second over every worker together; null: no cap.',
  })
  rateLimitPerSecond: number | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: "Extra request headers (lower-case names), sent after the platform's own.",
  })
  headers: Record<string, string>;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: 'integer', description: 'The stream version, also sent as ETag.' })
  version: number;
}

/** POST /webhooks: the webhook and, this once, its secret. */
export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The `whsec_` secret, this once; null for an ed25519 key (never shown).',
  })
  secret: string | null;
}

/** POST /webhooks/:id/secret/rotate: the new secret once, and until when the old one signs. */
export class RotatedSecretResponse extends WebhookResponse {
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The `whsec_` secret, this once; null for an ed25519 key (never shown).',
  })
  secret: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  previousSecretValidUntil: string | null;
}

export class WebhookStatusCounts {
  @ApiProperty({ type: 'integer' })
  active: number;

  @ApiProperty({ type: 'integer' })
  inactive: number;
}

export class WebhookPageResponse {
  @ApiProperty({ type: () => [WebhookResponse] })
  items: WebhookResponse[];

  @ApiProperty({ type: 'integer', description: 'How many webhooks match the filters.' })
  total: number;

  @ApiProperty({ type: () => WebhookStatusCounts })
  counts: WebhookStatusCounts;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Pass as `cursor`; null at the end.',
  })
  nextCursor: string | null;
}

export class HistoryEntryResponse {
  @ApiProperty({ example: 'WebhookCreated' })
  type: string;

  @ApiProperty({
    type: 'integer',
    description:
      "The webhook's version at this entry: its own events' stream version; for an activity entry, the version the webhook had then (`GET /webhooks/{id}?version=` shows it)",
  })
  version: number;

  @ApiProperty({
    type: 'integer',
    description: 'The place in the global log: orders the entries of both streams',
  })
  position: number;

  @ApiProperty({
    enum: ['webhook', 'activity'],
    description:
      "`webhook`: an event of the webhook's own stream (it changed); `activity`: something done with it that changed nothing (a secret reveal, a manual send)",
  })
  source: 'webhook' | 'activity';

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ example: 'user:alice' })
  actor: string;

  @ApiProperty()
  correlationId: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  details: Record<string, unknown>;
}

export class HistoryPageResponse {
  @ApiProperty({ type: () => [HistoryEntryResponse] })
  items: HistoryEntryResponse[];

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "Pass as `after`: the last entry's position; null at the end.",
  })
  nextAfter: number | null;
}

export class PreviousSecret {
  @ApiProperty({ type: 'string', nullable: true })
  secret: string | null;

  @ApiPropertyOptional({ description: 'The `whpk_…` public key of an ed25519 key.' })
  publicKey?: string;

  @ApiProperty({ format: 'date-time' })
  validUntil: string;
}

export class WebhookSecretsResponse {
  @ApiProperty({
    type: 'string',
    nullable: true,
    description:
      'The `whsec_` secret; null for an ed25519 key, whose `publicKey` is given instead.',
  })
  secret: string | null;

  @ApiPropertyOptional({ description: 'The `whpk_…` public key of an ed25519 key.' })
  publicKey?: string;

  @ApiProperty({
    type: () => PreviousSecret,
    nullable: true,
    description: 'The rotated-out secret while it still signs.',
  })
  previous: PreviousSecret | null;

  @ApiProperty({ type: 'integer' })
  version: number;
}
