// The shapes of the admin API: aliases of the types generated from its OpenAPI document
// (schema.d.ts, `npm run api:types`), named as the page uses them.
import type { components } from './schema';

type Schemas = components['schemas'];

export const ENVIRONMENTS = ['production', 'staging', 'development'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export type WebhookStatus = 'active' | 'inactive' | 'deleted';

/** `symmetric`: a `whsec_` secret signs `v1`; `asymmetric`: an ed25519 key signs `v1a`. */
export type SignatureScheme = 'symmetric' | 'asymmetric';

export type Webhook = Schemas['WebhookResponse'];

export type WebhookPage = Schemas['WebhookPageResponse'];

/** An event type's `data`: its description, JSON Schema (2020-12) and an example. */
export type EventTypeSchema = Schemas['EventDataSchema'];

/** `schemas` optional: the page also builds groups of its own, without them. */
export type EventTypeGroup = Omit<Schemas['EventTypeGroup'], 'schemas'> &
  Partial<Pick<Schemas['EventTypeGroup'], 'schemas'>>;

/** GET /event-types/:type */
export type EventTypeDetail = Schemas['EventType'];

export type HistoryEntry = Schemas['HistoryEntryResponse'];

export type HistoryPage = Schemas['HistoryPageResponse'];

/** GET /audit: one recorded action, across webhooks and settings. */
export type AuditEntry = Schemas['AuditEntryResponse'];

/** GET /audit: newest first; `nextCursor` for the next, older page. */
export type AuditPage = Schemas['AuditPageResponse'];

/** An ed25519 key is never revealed: `secret` is null and its `publicKey` is given instead. */
export type WebhookSecrets = Schemas['WebhookSecretsResponse'];

export type DeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'pending',
  'retrying',
  'succeeded',
  'failed',
];

export type Delivery = Schemas['DeliveryResponse'];

export type DeliveryAttempt = Schemas['DeliveryAttemptResponse'];

export type DeliveryDetail = Schemas['DeliveryDetailResponse'];

export type DeliveryPage = Schemas['DeliveryPageResponse'];

export type RetryPolicy = Schemas['RetryPolicyResponse'];

/** POST /webhooks/:id/recover with `dryRun`: how many one recovery would send again. */
export type RecoveryPreview = Schemas['RecoveryPreviewResponse'];

/** POST /webhooks/:id/recover: sent again by this call; `capped`: more remain, call again. */
export type RecoveryResult = Schemas['RecoveryResultResponse'];

/** Which failed deliveries POST /deliveries/retry sends again (`{}`: every failed one). */
export type FailedDeliveriesFilter = Schemas['FailedDeliveriesFilterDto'];

/** POST /deliveries/retry with `dryRun`: how many match (`capped`: at least that many). */
export type BulkRetryCount = Schemas['BulkRetryCountResponse'];

/** POST /deliveries/retry: sent again by this call; go on with `nextCursor` until it is null. */
export type BulkRetryResult = Schemas['BulkRetryResultResponse'];
