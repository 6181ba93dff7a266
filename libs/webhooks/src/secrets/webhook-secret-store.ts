import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import type { EncryptedSecret } from '@app/platform';

/** The collection of the secrets' ciphertexts: mutable, unlike the event log. */
export const WEBHOOK_SECRETS_COLLECTION = 'webhook_secrets';

/** The `_id` of a secret's document: its webhook and its id there. */
export function secretDocumentId(webhookId: string, secretId: string): string {
  return `${webhookId}:${secretId}`;
}

/**
 * One webhook secret's ciphertext (AES-256-GCM under the key `kid` of SECRETS_ENCRYPTION_KEY, bound
 * to `_id` as associated data, so a ciphertext copied onto another document does not decrypt).
 * Events refer to it by `secretId` (SecretRef); it is inserted before the event that refers to it
 * is appended, replaced when re-encrypted under a newer key, and deleted with its webhook.
 */
export interface WebhookSecretDocument {
  _id: string;
  webhookId: string;
  secretId: string;
  v: 1;
  kid: string;
  iv: string;
  tag: string;
  data: string;
  createdAt: Date;
  /** When it was last re-encrypted (under `kid`); absent while it is under the key it was made with. */
  reencryptedAt?: Date;
}

export function ciphertextOf(doc: WebhookSecretDocument): EncryptedSecret & { kid: string } {
  return { v: doc.v, kid: doc.kid, iv: doc.iv, tag: doc.tag, data: doc.data };
}

/**
 * Where secrets' ciphertexts live. Coordination rests only on the unique `_id` (an insert that
 * loses is a duplicate key) and on reads by equality: no transactions, no atomic updates needed.
 */
export interface WebhookSecretStore {
  /** @throws a duplicate key error (isDuplicateKeyError) when the `_id` exists. */
  insert(doc: WebhookSecretDocument): Promise<void>;
  get(webhookId: string, secretId: string): Promise<WebhookSecretDocument | null>;
  /**
   * Replaces the ciphertext of an existing document, only while it is still under `fromKid` (a
   * re-encryption racing another one writes nothing twice). Never creates a document, so a secret
   * deleted meanwhile stays deleted. False when nothing was replaced.
   */
  replaceCiphertext(
    webhookId: string,
    secretId: string,
    fromKid: string,
    ciphertext: EncryptedSecret & { kid: string },
    at: Date,
  ): Promise<boolean>;
  /** Deletes one secret (one a command stored and then did not use); true when it existed. */
  delete(webhookId: string, secretId: string): Promise<boolean>;
  /** Deletes every secret of a webhook (crypto-shredding); how many there were. */
  deleteAllOf(webhookId: string): Promise<number>;
}

export const WEBHOOK_SECRET_STORE = Symbol('WEBHOOK_SECRET_STORE');

/** The store on MongoDB / FerretDB: `webhook_secrets`, found by `_id`, or by `webhookId` to delete. */
export class MongoWebhookSecretStore implements WebhookSecretStore {
  private readonly secrets: Collection<WebhookSecretDocument>;

  constructor(connection: Connection) {
    this.secrets = connection.collection<WebhookSecretDocument>(WEBHOOK_SECRETS_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await this.secrets.createIndex({ webhookId: 1 });
  }

  async insert(doc: WebhookSecretDocument): Promise<void> {
    await this.secrets.insertOne(doc);
  }

  get(webhookId: string, secretId: string): Promise<WebhookSecretDocument | null> {
    return this.secrets.findOne({ _id: secretDocumentId(webhookId, secretId) });
  }

  async replaceCiphertext(
    webhookId: string,
    secretId: string,
    fromKid: string,
    ciphertext: EncryptedSecret & { kid: string },
    at: Date,
  ): Promise<boolean> {
    const { v, kid, iv, tag, data } = ciphertext;
    const result = await this.secrets.updateOne(
      { _id: secretDocumentId(webhookId, secretId), kid: fromKid },
      { $set: { v, kid, iv, tag, data, reencryptedAt: at } },
      { upsert: false },
    );
    return result.modifiedCount > 0;
  }

  async delete(webhookId: string, secretId: string): Promise<boolean> {
    const result = await this.secrets.deleteOne({ _id: secretDocumentId(webhookId, secretId) });
    return result.deletedCount > 0;
  }

  async deleteAllOf(webhookId: string): Promise<number> {
    const result = await this.secrets.deleteMany({ webhookId });
    return result.deletedCount;
  }
}
