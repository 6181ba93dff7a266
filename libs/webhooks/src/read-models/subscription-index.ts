import { InMemoryProjection, type StoredEvent } from '@app/event-store';
import type { Environment, EventType } from '../domain/event-catalogue';
import {
  evolve,
  initialState,
  isWebhookEventType,
  type ExistingWebhook,
  type SecretRef,
  type SigningSecrets,
  type WebhookEvent,
  type WebhookState,
} from '../domain/webhook.events';

export const SUBSCRIPTION_INDEX_PROJECTION = 'subscription-index';

export type WebhookLookup =
  { status: 'active' | 'inactive'; target: WebhookTarget } | { status: 'deleted' | 'unknown' };

/**
 * An active webhook as the delivery side needs it to send one platform event. The secrets are
 * references to the secret store: the delivery side reads and decrypts them when it signs. `previousSecret` is the last rotated-out
 * secret, still signing until `validUntil` (an ISO instant): whether it is still valid is decided at
 * send time (`signingSecretsAt`), not here.
 */
export interface WebhookTarget extends SigningSecrets {
  readonly id: string;
  readonly url: string;
  readonly environment: Environment;
  readonly eventTypes: readonly EventType[];
  /** The webhook's stream version this target reflects. */
  readonly version: number;
  /** Its own retry policy; null: the default one. */
  readonly retryPolicy: {
    readonly retryIntervalsSeconds: readonly number[];
    readonly jitter: number;
  } | null;
  /** Requests per second over every worker together; null: no cap. */
  readonly rateLimitPerSecond: number | null;
  /** Extra request headers, sent after the platform's own (never replacing one). */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The active webhooks by environment and event type, held in process memory so that matching an
 * incoming platform event costs no database query (an InMemoryProjection: every process rebuilds
 * it from position 0 when it starts, then follows the log live; it is `ready` once caught up).
 *
 * Per webhook it keeps the domain state, folded with the domain's own `evolve`, and derives the
 * index from it: a webhook is indexed exactly while its state is `active`, under its environment
 * and each of its event types. So deactivated and deleted webhooks leave the index, reactivated
 * ones return, a changed environment, event list or URL re-indexes, and a rotated secret replaces
 * the target. Deleted webhooks keep their state (a tombstone), so a replay cannot index them again.
 *
 * Idempotent: an event whose stream version the webhook's state already has is skipped, so a
 * replayed batch (or a restarted runner replaying from 0 onto the same index) changes nothing.
 */
export class SubscriptionIndex extends InMemoryProjection {
  readonly name = SUBSCRIPTION_INDEX_PROJECTION;

  private readonly states = new Map<string, WebhookState>();
  /** The indexed (active) webhooks by id. */
  private readonly targets = new Map<string, WebhookTarget>();
  /** `environment␀eventType` → the active webhooks subscribed, by id. */
  private readonly buckets = new Map<string, Map<string, WebhookTarget>>();

  /**
   * The active webhooks of `environment` subscribed to `eventType`, in no particular order. A map
   * lookup, no database query. Before the index is `ready` the answer may miss webhooks.
   */
  match(environment: Environment, eventType: EventType): WebhookTarget[] {
    const bucket = this.buckets.get(bucketKey(environment, eventType));
    return bucket ? [...bucket.values()] : [];
  }

  /**
   * Where a webhook stands for a send that is already decided (a retry, a manual send, a test):
   * `active` and `inactive` come with the webhook's current target (URL and secrets as of now), so
   * a retry goes to the URL and signs with the secrets the webhook has at that moment.
   */
  lookup(id: string): WebhookLookup {
    const state = this.states.get(id);
    if (!state || state.status === 'none') return { status: 'unknown' };
    if (state.status === 'deleted') return { status: 'deleted' };
    return { status: state.status, target: this.targets.get(id) ?? toTarget(state) };
  }

  /**
   * What the worker says about a webhook in its operational events: its name, URL and environment
   * as the index last saw them, deleted ones too; null when it does not know it.
   */
  describe(id: string): { id: string; name: string; url: string; environment: Environment } | null {
    const state = this.states.get(id);
    if (!state || state.status === 'none') return null;
    return { id: state.id, name: state.name, url: state.url, environment: state.environment };
  }

  /** The number of active webhooks in the index. */
  get size(): number {
    return this.targets.size;
  }

  protected follow(stored: StoredEvent): void {
    if (!isWebhookEventType(stored.type)) return;
    const event = { type: stored.type, data: stored.data } as WebhookEvent;
    const id = event.data.id;
    const before = this.states.get(id) ?? initialState;
    if (this.alreadyFolded(stored, before.status === 'none' ? 0 : before.version)) return;
    const after = evolve(before, event);
    this.states.set(id, after);
    this.unindex(id);
    if (after.status === 'active') this.index(toTarget(after));
  }

  private index(target: WebhookTarget): void {
    this.targets.set(target.id, target);
    for (const eventType of target.eventTypes) {
      const key = bucketKey(target.environment, eventType);
      let bucket = this.buckets.get(key);
      if (!bucket) this.buckets.set(key, (bucket = new Map<string, WebhookTarget>()));
      bucket.set(target.id, target);
    }
  }

  private unindex(id: string): void {
    const target = this.targets.get(id);
    if (!target) return;
    this.targets.delete(id);
    for (const eventType of target.eventTypes) {
      const key = bucketKey(target.environment, eventType);
      const bucket = this.buckets.get(key);
      bucket?.delete(id);
      if (bucket?.size === 0) this.buckets.delete(key);
    }
  }
}

function bucketKey(environment: Environment, eventType: EventType): string {
  return `${environment}\u0000${eventType}`;
}

/** The target of an active webhook; frozen, as it is shared by every caller of `match`. */
function toTarget(webhook: ExistingWebhook): WebhookTarget {
  const previous = webhook.previousSecret;
  const settings = webhook.deliverySettings;
  return Object.freeze({
    id: webhook.id,
    url: webhook.url,
    environment: webhook.environment,
    eventTypes: Object.freeze([...webhook.eventTypes]),
    secret: freezeRef(webhook.secret),
    previousSecret: previous
      ? Object.freeze({ secret: freezeRef(previous.secret), validUntil: previous.validUntil })
      : null,
    version: webhook.version,
    retryPolicy: settings.retryPolicy
      ? Object.freeze({
          retryIntervalsSeconds: Object.freeze([...settings.retryPolicy.retryIntervalsSeconds]),
          jitter: settings.retryPolicy.jitter,
        })
      : null,
    rateLimitPerSecond: settings.rateLimitPerSecond,
    headers: Object.freeze({ ...settings.headers }),
  });
}

function freezeRef(ref: SecretRef): SecretRef {
  return Object.freeze(
    ref.legacy ? { id: ref.id, legacy: Object.freeze({ ...ref.legacy }) } : { id: ref.id },
  );
}
