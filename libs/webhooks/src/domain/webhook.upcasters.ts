import { createHash } from 'node:crypto';
import type { UpcastableEvent, UpcasterDefinition } from '@app/event-store';
import type { EncryptedSecret, PauseKind, SecretRef } from './webhook.events';

/**
 * The store id of a secret that a schema version 1 event held inline: derived from the ciphertext
 * itself, so the same secret gets the same id wherever it appears (as the new secret of one event
 * and the previous secret of the next rotation), and `npm run secrets:reencrypt` copies it once.
 */
export function legacySecretId(secret: EncryptedSecret): string {
  const digest = createHash('sha256')
    .update(`${secret.iv}\u0000${secret.tag}\u0000${secret.data}`)
    .digest('hex');
  return `v1-${digest.slice(0, 32)}`;
}

function legacyRef(secret: EncryptedSecret): SecretRef {
  return { id: legacySecretId(secret), legacy: secret };
}

/** WebhookCreated v1 held `encryptedSecret` inline; v2 holds `secret`, a reference to the store. */
function webhookCreatedV1(event: UpcastableEvent): UpcastableEvent {
  const { encryptedSecret, ...data } = event.data as { encryptedSecret: EncryptedSecret };
  return { ...event, schemaVersion: 2, data: { ...data, secret: legacyRef(encryptedSecret) } };
}

/** SecretRotated v1 held both ciphertexts inline; v2 holds `secret` and `previousSecret` references. */
function secretRotatedV1(event: UpcastableEvent): UpcastableEvent {
  const { encryptedSecret, previousEncryptedSecret, ...data } = event.data as {
    encryptedSecret: EncryptedSecret;
    previousEncryptedSecret: EncryptedSecret;
  };
  return {
    ...event,
    schemaVersion: 2,
    data: {
      ...data,
      secret: legacyRef(encryptedSecret),
      previousSecret: legacyRef(previousEncryptedSecret),
    },
  };
}

/** WebhookCreated v2 predates asymmetric keys: every such webhook signs with a whsec_ secret. */
function webhookCreatedV2(event: UpcastableEvent): UpcastableEvent {
  return {
    ...event,
    schemaVersion: 3,
    data: { ...(event.data as object), signatureScheme: 'symmetric', publicKey: null },
  };
}

/** SecretRotated v2 predates asymmetric keys: both the new and the rotated-out secret are whsec_. */
function secretRotatedV2(event: UpcastableEvent): UpcastableEvent {
  return {
    ...event,
    schemaVersion: 3,
    data: {
      ...(event.data as object),
      signatureScheme: 'symmetric',
      publicKey: null,
      previousSignatureScheme: 'symmetric',
      previousPublicKey: null,
    },
  };
}

/**
 * The kind of an automatic pause recorded before WebhookDeactivated v2, from its words. Until then
 * the delivery side paused for two reasons only, and said so in the detail: "the endpoint answered
 * 410 Gone", or "every delivery attempt failed since …". Anything else automatic was the failing
 * rule (the only other one there was).
 */
export function pauseKindOfDetail(detail: string | undefined): PauseKind {
  const words = detail ?? '';
  // The failing detail quotes the last error, which may say anything: its own words decide first.
  if (words.startsWith('every delivery attempt failed')) return 'failing';
  return /\b410\b|\bgone\b/i.test(words) ? 'gone' : 'failing';
}

/** WebhookDeactivated v1 had no `kind`: an automatic one gets it from its detail, an admin's none. */
function webhookDeactivatedV1(event: UpcastableEvent): UpcastableEvent {
  const data = event.data as { reason: string; detail?: string };
  return {
    ...event,
    schemaVersion: 2,
    data: data.reason === 'automatic' ? { ...data, kind: pauseKindOfDetail(data.detail) } : data,
  };
}

/**
 * Every upcaster of the webhook event types, one per (type, schema version) change (see
 * WEBHOOK_EVENT_SCHEMA_VERSIONS). It reaches every reader through EVENT_UPCASTERS
 * (read-models/projections.registry.ts), which the api, the worker and the commands all use.
 */
export const WEBHOOK_UPCASTERS: readonly UpcasterDefinition[] = [
  { type: 'WebhookCreated', fromVersion: 1, upcast: webhookCreatedV1 },
  { type: 'SecretRotated', fromVersion: 1, upcast: secretRotatedV1 },
  { type: 'WebhookCreated', fromVersion: 2, upcast: webhookCreatedV2 },
  { type: 'SecretRotated', fromVersion: 2, upcast: secretRotatedV2 },
  { type: 'WebhookDeactivated', fromVersion: 1, upcast: webhookDeactivatedV1 },
];
