import type { EncryptedSecret } from '@app/platform';
import {
  secretDocumentId,
  type WebhookSecretDocument,
  type WebhookSecretStore,
} from '../secrets/webhook-secret-store';

/** The secret store in memory, with MongoWebhookSecretStore's contract (duplicate `_id` refused). */
export class InMemoryWebhookSecretStore implements WebhookSecretStore {
  readonly docs = new Map<string, WebhookSecretDocument>();

  insert(doc: WebhookSecretDocument): Promise<void> {
    if (this.docs.has(doc._id)) {
      return Promise.reject(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }));
    }
    this.docs.set(doc._id, { ...doc });
    return Promise.resolve();
  }

  get(webhookId: string, secretId: string): Promise<WebhookSecretDocument | null> {
    const doc = this.docs.get(secretDocumentId(webhookId, secretId));
    return Promise.resolve(doc ? { ...doc } : null);
  }

  replaceCiphertext(
    webhookId: string,
    secretId: string,
    fromKid: string,
    ciphertext: EncryptedSecret & { kid: string },
    at: Date,
  ): Promise<boolean> {
    const id = secretDocumentId(webhookId, secretId);
    const doc = this.docs.get(id);
    if (!doc || doc.kid !== fromKid) return Promise.resolve(false);
    this.docs.set(id, { ...doc, ...ciphertext, reencryptedAt: at });
    return Promise.resolve(true);
  }

  delete(webhookId: string, secretId: string): Promise<boolean> {
    return Promise.resolve(this.docs.delete(secretDocumentId(webhookId, secretId)));
  }

  deleteAllOf(webhookId: string): Promise<number> {
    let deleted = 0;
    for (const [id, doc] of this.docs) {
      if (doc.webhookId === webhookId && this.docs.delete(id)) deleted++;
    }
    return Promise.resolve(deleted);
  }
}
