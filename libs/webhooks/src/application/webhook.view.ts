import type { Environment, EventType } from '../domain/event-catalogue';
import type { ExistingWebhook } from '../domain/webhook.events';
import type { WebhookListDocument } from '../read-models/webhook-list.document';

/** A webhook as the API returns it: never a secret, only its hint. */
export interface WebhookView {
  id: string;
  name: string;
  url: string;
  environment: Environment;
  eventTypes: EventType[];
  eventCount: number;
  description: string | null;
  status: 'active' | 'inactive' | 'deleted';
  deactivationReason: 'admin' | 'automatic' | null;
  secretHint: string;
  /** How deliveries are signed: `v1` HMAC (`whsec_`) or `v1a` ed25519. */
  signatureScheme: 'symmetric' | 'asymmetric';
  /** `whpk_…`, what receivers verify `v1a` signatures with (asymmetric), else null. Not a secret. */
  publicKey: string | null;
  /** Its own retry policy; null: the default one (`GET /settings/retry-policy`) applies. */
  retryPolicy: { retryIntervalsSeconds: number[]; jitter: number } | null;
  /** Requests per second over every worker together; null: no cap. */
  rateLimitPerSecond: number | null;
  /** Extra request headers (lower-case names), sent after the platform's own. */
  headers: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function viewOfDocument(doc: WebhookListDocument): WebhookView {
  return {
    id: doc._id,
    name: doc.name,
    url: doc.url,
    environment: doc.environment,
    eventTypes: doc.eventTypes,
    eventCount: doc.eventCount,
    description: doc.description,
    status: doc.status,
    deactivationReason: doc.deactivationReason,
    secretHint: doc.secretHint,
    signatureScheme: doc.signatureScheme ?? 'symmetric',
    publicKey: doc.publicKey ?? null,
    retryPolicy: doc.retryPolicy ?? null,
    rateLimitPerSecond: doc.rateLimitPerSecond ?? null,
    headers: doc.headers ?? {},
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    version: doc.version,
  };
}

export function viewOfState(
  webhook: ExistingWebhook,
  times: { createdAt: Date; updatedAt: Date },
): WebhookView {
  return {
    id: webhook.id,
    name: webhook.name,
    url: webhook.url,
    environment: webhook.environment,
    eventTypes: webhook.eventTypes,
    eventCount: webhook.eventTypes.length,
    description: webhook.description,
    status: webhook.status,
    deactivationReason: webhook.deactivation?.reason ?? null,
    secretHint: webhook.secretHint,
    signatureScheme: webhook.signatureScheme,
    publicKey: webhook.publicKey,
    retryPolicy: webhook.deliverySettings.retryPolicy,
    rateLimitPerSecond: webhook.deliverySettings.rateLimitPerSecond,
    headers: webhook.deliverySettings.headers,
    createdAt: times.createdAt.toISOString(),
    updatedAt: times.updatedAt.toISOString(),
    version: webhook.version,
  };
}
