// The shapes of the admin API as docs/api.md describes them; only what this page reads.

export const ENVIRONMENTS = ['production', 'staging', 'development'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export type WebhookStatus = 'active' | 'inactive' | 'deleted';

/** `symmetric`: a `whsec_` secret signs `v1`; `asymmetric`: an ed25519 key signs `v1a`. */
export type SignatureScheme = 'symmetric' | 'asymmetric';

export interface Webhook {
  id: string;
  name: string;
  url: string;
  environment: Environment;
  eventTypes: string[];
  eventCount: number;
  description: string | null;
  status: WebhookStatus;
  deactivationReason: string | null;
  secretHint: string;
  signatureScheme?: SignatureScheme;
  /** `whpk_…` of an asymmetric webhook, else null. */
  publicKey?: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface WebhookPage {
  items: Webhook[];
  total: number;
  counts: { active: number; inactive: number };
  nextCursor: string | null;
}

/** An event type's `data`: its description, JSON Schema (2020-12) and an example. */
export interface EventTypeSchema {
  description: string;
  schema: Record<string, unknown>;
  example: Record<string, unknown>;
}

export interface EventTypeGroup {
  group: string;
  eventTypes: string[];
  /** Per type of the group, keyed by type. */
  schemas?: Record<string, EventTypeSchema>;
}

/** GET /event-types/:type */
export interface EventTypeDetail extends EventTypeSchema {
  type: string;
  group: string;
}

export interface HistoryEntry {
  type: string;
  version: number;
  position: number;
  at: string;
  actor: string;
  correlationId: string;
  details: Record<string, unknown>;
}

export interface HistoryPage {
  items: HistoryEntry[];
  nextAfter: number | null;
}

/** An ed25519 key is never revealed: `secret` is null and its `publicKey` is given instead. */
export interface WebhookSecrets {
  secret: string | null;
  publicKey?: string;
  previous: { secret: string | null; publicKey?: string; validUntil: string } | null;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'pending',
  'retrying',
  'succeeded',
  'failed',
];

export interface Delivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  environment: Environment;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
  lastAttempt: { at: string; responseStatus: number | null; error: string | null } | null;
}

export interface DeliveryAttempt {
  number: number;
  at: string;
  trigger: 'automatic' | 'manual';
  url: string;
  requestHeaders: Record<string, string>;
  responseStatus: number | null;
  durationMs: number | null;
  error: string | null;
  responseBody: string | null;
}

export interface DeliveryDetail extends Delivery {
  payload: unknown;
  attempts: DeliveryAttempt[];
}

export interface DeliveryPage {
  items: Delivery[];
  nextCursor: string | null;
}

export interface RetryPolicy {
  retryIntervalsSeconds: number[];
  jitter: number;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}
