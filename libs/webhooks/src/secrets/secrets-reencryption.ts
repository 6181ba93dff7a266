import type { Clock, StoredEvent } from '@app/event-store';
import { isDuplicateKeyError, SecretBox, SecretDecryptionError } from '@app/platform';
import {
  previousSecretSigningAt,
  type SecretRef,
  type WebhookState,
} from '../domain/webhook.events';
import { SecretNotStoredError } from '../application/webhook-secrets';
import { ciphertextOf, secretDocumentId, type WebhookSecretStore } from './webhook-secret-store';

/** What re-encryption reads: the log in order (EventStore) and a webhook's state (WebhookRepository). */
export interface ReencryptionSources {
  readAll(after: number, maxEvents: number): Promise<{ events: StoredEvent[]; position: number }>;
  load(webhookId: string): Promise<{ state: WebhookState }>;
}

export interface UndecryptableSecret {
  webhookId: string;
  /** Why, in words that never hold a secret or a key (e.g. which key id is missing). */
  reason: string;
}

export interface ReencryptionReport {
  /** Webhooks looked at (every one created in the log). */
  webhooks: number;
  /** Stored ciphertexts moved to the newest key. */
  reencrypted: number;
  /** Ciphertexts of old events (inline, schema version 1) copied into the store under the newest key. */
  copied: number;
  /** Stored under the newest key already: nothing to do. */
  alreadyCurrent: number;
  /** Secrets that could not be decrypted (listed up to `MAX_LISTED_UNDECRYPTABLE`). */
  undecryptable: number;
  undecryptableSecrets: UndecryptableSecret[];
  /** Stored secrets of deleted webhooks that were still there, now deleted. */
  shredded: number;
}

export const MAX_LISTED_UNDECRYPTABLE = 1000;
const LOG_BATCH = 500;

type Outcome = 'reencrypted' | 'copied' | 'current' | 'shredded' | UndecryptableSecret;

/**
 * Moves every secret a webhook still uses (its current one, and the rotated-out one during its
 * grace window) to the newest key of SECRETS_ENCRYPTION_KEY, for `npm run secrets:reencrypt`:
 *
 * - a stored ciphertext under an older key is decrypted and replaced (only if it is still under
 *   that key, never re-creating a document deleted meanwhile);
 * - a secret that an old event holds inline (schema version 1) is copied into the store under the
 *   newest key (an insert under its unique `_id`: a second run loses it and counts it current), so
 *   the store wins from then on and the old key can go;
 * - a deleted webhook's stored secrets that are still there are shredded.
 *
 * Idempotent and resumable: every step looks at what is stored now, so a run after an interrupted
 * one does only what is left. Memory is bounded: the log is read a batch at a time and one webhook
 * is handled at a time. Secrets never leave this class except re-encrypted.
 */
export class SecretsReencryption {
  constructor(
    private readonly sources: ReencryptionSources,
    private readonly store: WebhookSecretStore,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  async run(): Promise<ReencryptionReport> {
    const report: ReencryptionReport = {
      webhooks: 0,
      reencrypted: 0,
      copied: 0,
      alreadyCurrent: 0,
      undecryptable: 0,
      undecryptableSecrets: [],
      shredded: 0,
    };
    let after = 0;
    for (;;) {
      const { events, position } = await this.sources.readAll(after, LOG_BATCH);
      if (events.length === 0) break;
      for (const event of events) {
        if (event.type !== 'WebhookCreated') continue;
        report.webhooks++;
        await this.webhook((event.data as { id: string }).id, report);
      }
      after = position;
    }
    return report;
  }

  private async webhook(webhookId: string, report: ReencryptionReport): Promise<void> {
    const { state } = await this.sources.load(webhookId);
    if (state.status === 'none') return;
    if (state.status === 'deleted') {
      report.shredded += await this.store.deleteAllOf(webhookId);
      return;
    }
    const previous = previousSecretSigningAt(state.previousSecret, this.clock.now());
    const refs = previous ? [state.secret, previous.secret] : [state.secret];
    for (const ref of refs) {
      const outcome = await this.secret(webhookId, ref);
      if (outcome === 'reencrypted') report.reencrypted++;
      else if (outcome === 'copied') report.copied++;
      else if (outcome === 'current') report.alreadyCurrent++;
      else if (outcome === 'shredded') report.shredded++;
      else {
        report.undecryptable++;
        if (report.undecryptableSecrets.length < MAX_LISTED_UNDECRYPTABLE) {
          report.undecryptableSecrets.push(outcome);
        }
      }
    }
  }

  private async secret(webhookId: string, ref: SecretRef): Promise<Outcome> {
    const doc = await this.store.get(webhookId, ref.id);
    if (doc) {
      if (doc.kid === this.box.currentKeyId) return 'current';
      const plaintext = this.decrypt(webhookId, () => this.box.decrypt(ciphertextOf(doc), doc._id));
      if (typeof plaintext !== 'string') return plaintext;
      const replaced = await this.store.replaceCiphertext(
        webhookId,
        ref.id,
        doc.kid,
        this.encrypt(plaintext, doc._id),
        this.clock.now(),
      );
      // Not replaced: another run moved it first (or the webhook was deleted meanwhile).
      return replaced ? 'reencrypted' : 'current';
    }
    if (!ref.legacy) return { webhookId, reason: new SecretNotStoredError().message };
    const legacy = ref.legacy;
    const plaintext = this.decrypt(webhookId, () => this.box.decrypt(legacy, webhookId));
    if (typeof plaintext !== 'string') return plaintext;
    const _id = secretDocumentId(webhookId, ref.id);
    try {
      await this.store.insert({
        _id,
        webhookId,
        secretId: ref.id,
        ...this.encrypt(plaintext, _id),
        createdAt: this.clock.now(),
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'current'; // another run copied it first
      throw error;
    }
    // A deletion that raced this copy may have shredded before the insert: look again, so that a
    // deleted webhook's secret is never left behind in the store.
    const { state } = await this.sources.load(webhookId);
    if (state.status === 'deleted') {
      await this.store.deleteAllOf(webhookId);
      return 'shredded';
    }
    return 'copied';
  }

  private encrypt(plaintext: string, associatedData: string) {
    return { ...this.box.encrypt(plaintext, associatedData), kid: this.box.currentKeyId };
  }

  private decrypt(webhookId: string, decrypt: () => string): string | UndecryptableSecret {
    try {
      return decrypt();
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      return { webhookId, reason: error.message };
    }
  }
}
