import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@app/event-store';
import { generateWebhookSecret, SecretBox, SecretDecryptionError } from '@app/platform';
import {
  previousSecretSigningAt,
  type ExistingWebhook,
  type SecretRef,
  type WebhookSignatureScheme,
} from '../domain/webhook.events';
import { WebhookValidationError } from '../domain/webhook.errors';
import { isValidSecret, secretHintOf } from '../domain/webhook.rules';
import {
  generateSigningKeyPair,
  InvalidSigningKeyError,
  publicKeyOf,
  SIGNING_PUBLIC_KEY_PREFIX,
  type SigningKeyPair,
} from '../secrets/signing-keys';
import {
  WEBHOOK_SECRET_STORE,
  ciphertextOf,
  secretDocumentId,
  type WebhookSecretStore,
} from '../secrets/webhook-secret-store';

export interface SealedSecret {
  /**
   * A `whsec_` secret: shown once, in the response of the command that made it; never stored in
   * the clear. Null for an ed25519 key: its `whsk_` private key is never shown to anyone.
   */
  plaintext: string | null;
  signatureScheme: WebhookSignatureScheme;
  /** The key pair's `whpk_…` (asymmetric), else null. */
  publicKey: string | null;
  /** Its document in the secret store, which the event refers to. */
  secretId: string;
  secretHint: string;
}

/**
 * For a `whsec_` secret its plaintext; for an ed25519 key `secret: null` and its `whpk_` public key:
 * the private key never leaves the platform (the API never returns it, the reveal route included).
 */
export interface RevealedSecrets {
  secret: string | null;
  publicKey?: string;
  /** The rotated-out secret while it still signs. */
  previous: { secret: string | null; publicKey?: string; validUntil: string } | null;
}

/**
 * The secret store has no ciphertext for the secret (its webhook was deleted, which shreds its
 * secrets) and no event holds one inline.
 */
export class SecretNotStoredError extends SecretDecryptionError {
  constructor() {
    super('it is no longer in the secret store (its webhook was deleted)');
  }
}

/**
 * Webhook signing secrets: generated (or checked when an admin supplies one), encrypted under the
 * newest key of SECRETS_ENCRYPTION_KEY and kept in the secret store (`webhook_secrets`), bound to
 * their document's id, so a ciphertext copied onto another webhook does not decrypt. Events only
 * refer to them (SecretRef), so a key can be rotated and a deleted webhook's secrets shredded
 * without touching the log. Plaintexts are never logged.
 */
@Injectable()
export class WebhookSecrets {
  constructor(
    private readonly box: SecretBox,
    @Inject(WEBHOOK_SECRET_STORE) private readonly store: WebhookSecretStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Checks (or generates) a secret and stores its ciphertext under a new id, before the event that
   * refers to it is appended: an event never names a secret that is not stored. If the append
   * then fails, the document is left unreferenced (see `discard`).
   */
  async seal(
    webhookId: string,
    supplied?: string,
    scheme: WebhookSignatureScheme = 'symmetric',
  ): Promise<SealedSecret> {
    if (scheme === 'asymmetric') {
      // A caller's own key (e.g. moving from another sender, so receivers keep their public key).
      const pair = supplied === undefined ? generateSigningKeyPair() : ownKeyPair(supplied);
      const secretId = await this.insertSealed(webhookId, pair.secretKey);
      return {
        plaintext: null,
        signatureScheme: 'asymmetric',
        publicKey: pair.publicKey,
        secretId,
        secretHint: publicKeyHintOf(pair.publicKey),
      };
    }
    if (supplied !== undefined && !isValidSecret(supplied)) {
      throw new WebhookValidationError([
        {
          field: 'secret',
          message: 'secret must be whsec_ followed by the base64 of 24 to 64 bytes',
        },
      ]);
    }
    const plaintext = supplied ?? generateWebhookSecret(32);
    const secretId = await this.insertSealed(webhookId, plaintext);
    return {
      plaintext,
      signatureScheme: 'symmetric',
      publicKey: null,
      secretId,
      secretHint: secretHintOf(plaintext),
    };
  }

  /** Encrypts a `whsec_` secret or `whsk_` key alike and inserts it under a new id. */
  private async insertSealed(webhookId: string, plaintext: string): Promise<string> {
    const secretId = `s-${randomBytes(12).toString('base64url')}`;
    const _id = secretDocumentId(webhookId, secretId);
    await this.store.insert({
      _id,
      webhookId,
      secretId,
      ...this.box.encrypt(plaintext, _id),
      kid: this.box.currentKeyId,
      createdAt: this.clock.now(),
    });
    return secretId;
  }

  /** Removes a sealed secret that no event came to refer to (the command was refused). */
  async discard(webhookId: string, secretId: string): Promise<void> {
    await this.store.delete(webhookId, secretId);
  }

  /**
   * The plaintext of a secret: from its stored document (under whichever key of the ring it names),
   * else from the ciphertext a schema version 1 event held inline (under the legacy key `k0`).
   * @throws SecretNotStoredError when neither exists; UnknownSecretKeyError when its key is no
   * longer in the ring; SecretDecryptionError when it does not decrypt.
   */
  async plaintextOf(webhookId: string, ref: SecretRef): Promise<string> {
    const doc = await this.store.get(webhookId, ref.id);
    if (doc) return this.box.decrypt(ciphertextOf(doc), doc._id);
    if (ref.legacy) return this.box.decrypt(ref.legacy, webhookId);
    throw new SecretNotStoredError();
  }

  /** An ed25519 private key is never decrypted here: its public key (from the events) stands in. */
  async reveal(webhook: ExistingWebhook, now: Date): Promise<RevealedSecrets> {
    const previous = previousSecretSigningAt(webhook.previousSecret, now);
    const [secret, previousSecret] = await Promise.all([
      this.revealOne(webhook.id, webhook.secret, webhook.publicKey),
      previous ? this.revealOne(webhook.id, previous.secret, previous.publicKey) : null,
    ]);
    return {
      ...secret,
      previous:
        previous && previousSecret !== null
          ? { ...previousSecret, validUntil: previous.validUntil }
          : null,
    };
  }

  private async revealOne(
    webhookId: string,
    ref: SecretRef,
    publicKey: string | null,
  ): Promise<{ secret: string | null; publicKey?: string }> {
    if (publicKey !== null) return { secret: null, publicKey };
    return { secret: await this.plaintextOf(webhookId, ref) };
  }

  /** Deletes every stored secret of a webhook (crypto-shredding); how many there were. */
  shred(webhookId: string): Promise<number> {
    return this.store.deleteAllOf(webhookId);
  }
}

/** What the UI shows of an ed25519 key to tell two apart: the end of its public key. */
export function publicKeyHintOf(publicKey: string): string {
  return `${SIGNING_PUBLIC_KEY_PREFIX}…${publicKey.replace(/=+$/, '').slice(-4)}`;
}

/** The pair of a supplied `whsk_` key; refused (never echoed) when it is not one. */
function ownKeyPair(secretKey: string): SigningKeyPair {
  try {
    return { secretKey, publicKey: publicKeyOf(secretKey) };
  } catch (error) {
    if (!(error instanceof InvalidSigningKeyError)) throw error;
    throw new WebhookValidationError([
      {
        field: 'secret',
        message:
          'an asymmetric key must be whsk_ followed by the base64 of a 32-byte ed25519 seed; leave secret out to generate one',
      },
    ]);
  }
}
