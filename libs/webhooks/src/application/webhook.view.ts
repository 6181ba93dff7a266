import type { Environment, EventType } from '../domain/event-catalogue';
import type { StoredEvent } from '@app/event-store';
import { PAUSE_KIND_WORDS, type ExistingWebhook, type PauseKind } from '../domain/webhook.events';
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
  /**
   * Why and since when the delivery side paused it (an automatic deactivation): null while active,
   * when an admin deactivated it, and once re-activated.
   */
  pause: WebhookPauseView | null;
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

/** An automatic pause as the API shows it. */
export interface WebhookPauseView {
  /** In words, as recorded: e.g. "the endpoint answered 410 Gone". */
  reason: string;
  kind: PauseKind;
  /** When it was paused (ISO 8601). */
  at: string;
}

/** The times a view of a webhook's state shows, from its stream's events. */
export interface WebhookTimes {
  createdAt: Date;
  updatedAt: Date;
  /** When its last deactivation was recorded, if any (the time of an automatic pause). */
  deactivatedAt?: Date;
}

export function timesOfStream(events: readonly StoredEvent[]): WebhookTimes {
  let deactivated: StoredEvent | undefined;
  for (const event of events) if (event.type === 'WebhookDeactivated') deactivated = event;
  return {
    createdAt: events[0].recordedAt,
    updatedAt: events[events.length - 1].recordedAt,
    ...(deactivated && { deactivatedAt: deactivated.recordedAt }),
  };
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
    // Absent in documents written before pauses were kept: a projection rebuild fills it in.
    pause:
      doc.pause && doc.status === 'inactive'
        ? { reason: doc.pause.reason, kind: doc.pause.kind, at: doc.pause.at.toISOString() }
        : null,
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

export function viewOfState(webhook: ExistingWebhook, times: WebhookTimes): WebhookView {
  const { deactivation } = webhook;
  const paused =
    webhook.status === 'inactive' &&
    deactivation?.reason === 'automatic' &&
    times.deactivatedAt !== undefined;
  return {
    id: webhook.id,
    name: webhook.name,
    url: webhook.url,
    environment: webhook.environment,
    eventTypes: webhook.eventTypes,
    eventCount: webhook.eventTypes.length,
    description: webhook.description,
    status: webhook.status,
    deactivationReason: deactivation?.reason ?? null,
    pause: paused
      ? {
          reason: deactivation.detail ?? PAUSE_KIND_WORDS[deactivation.kind ?? 'failing'],
          kind: deactivation.kind ?? 'failing',
          at: (times.deactivatedAt as Date).toISOString(),
        }
      : null,
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
