import type { EventMetadata, NewEvent } from '@app/event-store';
import type { DeliverySettings } from './delivery-settings';
import type { Environment, EventType } from './event-catalogue';

/**
 * How a webhook signs: `symmetric` with a `whsec_` secret (HMAC-SHA256, `v1,`), `asymmetric` with
 * an ed25519 key pair (`v1a,`; the `whsk_` private key is in the secret store like a secret, the
 * `whpk_` public key, which is no secret, is in the events). Spelled out here, as persisted.
 */
export type WebhookSignatureScheme = 'symmetric' | 'asymmetric';
import { WebhookHistoryError } from './webhook.errors';

/**
 * A webhook secret encrypted at rest (AES-256-GCM under SECRETS_ENCRYPTION_KEY; base64 fields), as
 * events of schema version 1 held it inline (with no key id: the legacy key `k0`). The plaintext is
 * never persisted.
 */
export interface EncryptedSecret {
  v: 1;
  kid?: string;
  iv: string;
  tag: string;
  data: string;
}

/**
 * Where a webhook secret's ciphertext is: the `webhook_secrets` document `<webhookId>:<id>`
 * (mutable, so it can be re-encrypted under a new key, and deleted with its webhook). `legacy`: the
 * ciphertext an event of schema version 1 held inline, read only when the store has no document
 * for `id` (`npm run secrets:reencrypt` copies it there); new events never carry one.
 */
export interface SecretRef {
  id: string;
  legacy?: EncryptedSecret;
}

export type DeactivationReason = 'admin' | 'automatic';

/**
 * What an automatic pause was for: `gone`, the endpoint answered 410 Gone; `failing`, every attempt
 * failed for DELIVERY_DISABLE_AFTER_HOURS. Persisted as spelled (WebhookDeactivated v2); receivers
 * of `webhook.paused` see the same words.
 */
export type PauseKind = 'gone' | 'failing';

export const PAUSE_KINDS: readonly PauseKind[] = ['gone', 'failing'];

/** A pause's words when its detail is missing (the delivery side always writes one). */
export const PAUSE_KIND_WORDS: Readonly<Record<PauseKind, string>> = {
  gone: 'the endpoint answered 410 Gone',
  failing: 'every delivery attempt failed for too long',
};

export interface Change<T> {
  from: T;
  to: T;
}

/** Only the fields that changed; a field that is absent kept its value. */
export interface WebhookChanges {
  name?: Change<string>;
  url?: Change<string>;
  environment?: Change<Environment>;
  eventTypes?: Change<EventType[]>;
  description?: Change<string | null>;
}

// Persisted shapes are spelled out here rather than derived from other types, so that a refactor
// elsewhere cannot silently change what is stored; a shape change means a new schema version.

export interface WebhookCreated {
  type: 'WebhookCreated';
  data: {
    id: string;
    name: string;
    url: string;
    environment: Environment;
    eventTypes: EventType[];
    description: string | null;
    active: boolean;
    secret: SecretRef;
    secretHint: string;
    /**
     * Since schema version 3 (the upcaster gives older events symmetric, no public key); decide
     * always writes both. Optional in the type only, so older shapes still type-check.
     */
    signatureScheme?: WebhookSignatureScheme;
    /** `whpk_…` when asymmetric, else null. Never the private key. */
    publicKey?: string | null;
  };
}

export interface WebhookUpdated {
  type: 'WebhookUpdated';
  data: { id: string; changes: WebhookChanges };
}

export interface WebhookActivated {
  type: 'WebhookActivated';
  data: { id: string };
}

export interface WebhookDeactivated {
  type: 'WebhookDeactivated';
  /**
   * `automatic`: the delivery side paused it (e.g. its endpoint kept failing); `detail` says why in
   * words, `kind` which rule it was (since schema version 2, only on automatic pauses; the upcaster
   * derives it for older ones from their detail).
   */
  data: { id: string; reason: DeactivationReason; detail?: string; kind?: PauseKind };
}

export interface SecretRotated {
  type: 'SecretRotated';
  data: {
    id: string;
    secret: SecretRef;
    secretHint: string;
    /** The rotated-out secret still signs until then, so receivers can switch over without drops. */
    previousSecret: SecretRef;
    previousSecretHint: string;
    previousSecretValidUntil: string;
    /**
     * Since schema version 3: the new key's scheme and public key, and those it replaces (always
     * written; optional in the type as in WebhookCreated).
     */
    signatureScheme?: WebhookSignatureScheme;
    publicKey?: string | null;
    previousSignatureScheme?: WebhookSignatureScheme;
    previousPublicKey?: string | null;
  };
}

/** Only the delivery settings that changed; an absent one kept its value. */
export interface DeliverySettingsChanges {
  retryPolicy?: Change<{ retryIntervalsSeconds: number[]; jitter: number } | null>;
  rateLimitPerSecond?: Change<number | null>;
  /** The whole header set before and after (values included: the worker sends them). */
  headers?: Change<Record<string, string>>;
}

/**
 * A webhook's own delivery settings changed (retry policy override, rate cap, custom headers).
 * A create with settings is WebhookCreated followed by this event, so WebhookCreated keeps its
 * shape; a webhook with no such event has the defaults.
 */
export interface DeliverySettingsChanged {
  type: 'DeliverySettingsChanged';
  data: { id: string; changes: DeliverySettingsChanges };
}

export interface WebhookDeleted {
  type: 'WebhookDeleted';
  data: { id: string };
}

export type WebhookEvent =
  | WebhookCreated
  | WebhookUpdated
  | WebhookActivated
  | WebhookDeactivated
  | SecretRotated
  | DeliverySettingsChanged
  | WebhookDeleted;

export type WebhookEventType = WebhookEvent['type'];

/**
 * The current schema version of each persisted event type. Raising one needs an upcaster.
 * WebhookCreated and SecretRotated v2: a reference to the secret store instead of the ciphertext.
 * v3: the signature scheme and the public key (asymmetric, Standard Webhooks `v1a`).
 * WebhookDeactivated v2: an automatic pause says its `kind` (gone, failing).
 */
export const WEBHOOK_EVENT_SCHEMA_VERSIONS = {
  WebhookCreated: 3,
  WebhookUpdated: 1,
  WebhookActivated: 1,
  WebhookDeactivated: 2,
  SecretRotated: 3,
  DeliverySettingsChanged: 1,
  WebhookDeleted: 1,
} as const satisfies Record<WebhookEventType, number>;

export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENT_SCHEMA_VERSIONS) as WebhookEventType[];

export function isWebhookEventType(type: string): type is WebhookEventType {
  return Object.hasOwn(WEBHOOK_EVENT_SCHEMA_VERSIONS, type);
}

/** A decided event in the form the event store appends, stamped with its current schema version. */
export function toNewEvent(
  event: WebhookEvent,
  metadata: EventMetadata,
): NewEvent<WebhookEventType, WebhookEvent['data']> {
  return {
    type: event.type,
    data: event.data,
    schemaVersion: WEBHOOK_EVENT_SCHEMA_VERSIONS[event.type],
    metadata,
  };
}

export interface PreviousSecret {
  secret: SecretRef;
  secretHint: string;
  validUntil: string;
  signatureScheme: WebhookSignatureScheme;
  publicKey: string | null;
}

/** A webhook that was created, as its events leave it. */
export interface ExistingWebhook {
  status: 'active' | 'inactive' | 'deleted';
  id: string;
  name: string;
  url: string;
  environment: Environment;
  eventTypes: EventType[];
  description: string | null;
  secret: SecretRef;
  secretHint: string;
  signatureScheme: WebhookSignatureScheme;
  /** `whpk_…` of the current key when asymmetric, else null. */
  publicKey: string | null;
  /** The last rotated-out secret; it only signs while `validUntil` is in the future. */
  previousSecret: PreviousSecret | null;
  /** Why an inactive webhook was paused; null otherwise. `kind`: only on automatic pauses. */
  deactivation: { reason: DeactivationReason; detail?: string; kind?: PauseKind } | null;
  /** Its own retry policy, rate cap and headers (the defaults until DeliverySettingsChanged). */
  deliverySettings: DeliverySettings;
  /** Number of events applied: equals the stream version, for If-Match / expected-version checks. */
  version: number;
}

export type WebhookState = { status: 'none' } | ExistingWebhook;

export const initialState: WebhookState = { status: 'none' };

export function evolve(state: WebhookState, event: WebhookEvent): WebhookState {
  switch (event.type) {
    case 'WebhookCreated': {
      if (state.status !== 'none') {
        throw new WebhookHistoryError(`WebhookCreated for ${event.data.id}, which already exists`);
      }
      const { active, signatureScheme = 'symmetric', publicKey = null, ...fields } = event.data;
      const status = active ? 'active' : 'inactive';
      // Created inactive is the admin's choice, as the list view shows it (reason `admin`).
      const deactivation = active ? null : { reason: 'admin' as const };
      return {
        status,
        ...fields,
        signatureScheme,
        publicKey,
        previousSecret: null,
        deactivation,
        deliverySettings: { retryPolicy: null, rateLimitPerSecond: null, headers: {} },
        version: 1,
      };
    }
    case 'WebhookUpdated': {
      const { changes } = event.data;
      return {
        ...next(state, event),
        ...(changes.name && { name: changes.name.to }),
        ...(changes.url && { url: changes.url.to }),
        ...(changes.environment && { environment: changes.environment.to }),
        ...(changes.eventTypes && { eventTypes: changes.eventTypes.to }),
        ...(changes.description && { description: changes.description.to }),
      };
    }
    case 'WebhookActivated':
      return { ...next(state, event), status: 'active', deactivation: null };
    case 'WebhookDeactivated': {
      const { reason, detail, kind } = event.data;
      const deactivation = {
        reason,
        ...(detail !== undefined && { detail }),
        ...(kind !== undefined && { kind }),
      };
      return { ...next(state, event), status: 'inactive', deactivation };
    }
    case 'SecretRotated': {
      const { data } = event;
      return {
        ...next(state, event),
        secret: data.secret,
        secretHint: data.secretHint,
        signatureScheme: data.signatureScheme ?? 'symmetric',
        publicKey: data.publicKey ?? null,
        previousSecret: {
          secret: data.previousSecret,
          secretHint: data.previousSecretHint,
          validUntil: data.previousSecretValidUntil,
          signatureScheme: data.previousSignatureScheme ?? 'symmetric',
          publicKey: data.previousPublicKey ?? null,
        },
      };
    }
    case 'DeliverySettingsChanged': {
      const { changes } = event.data;
      const webhook = next(state, event);
      return {
        ...webhook,
        deliverySettings: {
          ...webhook.deliverySettings,
          ...(changes.retryPolicy && { retryPolicy: changes.retryPolicy.to }),
          ...(changes.rateLimitPerSecond && { rateLimitPerSecond: changes.rateLimitPerSecond.to }),
          ...(changes.headers && { headers: changes.headers.to }),
        },
      };
    }
    case 'WebhookDeleted':
      return { ...next(state, event), status: 'deleted' };
    default: {
      const unhandled: never = event;
      throw new WebhookHistoryError(`Unknown webhook event ${(unhandled as WebhookEvent).type}`);
    }
  }
}

/** The existing webhook one event further on; an event before the creation means a broken stream. */
function next(state: WebhookState, event: WebhookEvent): ExistingWebhook {
  if (state.status === 'none') {
    throw new WebhookHistoryError(`${event.type} for ${event.data.id} before WebhookCreated`);
  }
  return { ...state, version: state.version + 1 };
}

/** A webhook's secrets in any form that keeps them (its state, the worker's index entry). */
export interface SigningSecrets {
  readonly secret: SecretRef;
  readonly previousSecret: {
    readonly secret: SecretRef;
    readonly validUntil: string;
  } | null;
}

/**
 * The grace-window rule: a rotated-out secret keeps signing until its window ends (`validUntil`,
 * exclusive), so that receivers can switch to the new one without dropping a delivery. Returns
 * `previous` while it still signs at `at`, null once its window has ended (or there is none).
 */
export function previousSecretSigningAt<Previous extends { readonly validUntil: string }>(
  previous: Previous | null,
  at: Date,
): Previous | null {
  return previous !== null && Date.parse(previous.validUntil) > at.getTime() ? previous : null;
}

/** The secrets that sign a delivery at `at`: the current one first, then one still in its grace window. */
export function signingSecretsAt(webhook: SigningSecrets, at: Date): SecretRef[] {
  const previous = previousSecretSigningAt(webhook.previousSecret, at);
  return previous ? [webhook.secret, previous.secret] : [webhook.secret];
}
