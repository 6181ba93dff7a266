import { Injectable } from '@nestjs/common';
import {
  signingSecretsAt,
  WebhookSecrets,
  type SecretRef,
  type WebhookTarget,
} from '@app/webhooks';

/**
 * The plaintexts that sign a delivery, read from the secret store and decrypted through the
 * keyring (WebhookSecrets). Each secret is read and decrypted once rather than on every attempt:
 * kept by the index's frozen reference objects, which any change to the webhook (a rotation
 * included) replaces, so a replaced one is left to the collector. A failure is not kept: the next
 * attempt tries again (a key added back to the ring recovers). Never logged.
 */
@Injectable()
export class SigningSecrets {
  private readonly plaintexts = new WeakMap<SecretRef, Promise<string>>();

  constructor(private readonly secrets: WebhookSecrets) {}

  /**
   * The current secret, and a rotated-out one during its grace window.
   * @throws SecretDecryptionError (its key left the ring, it was shredded, it is corrupt).
   */
  secretsOf(
    target: Pick<WebhookTarget, 'id' | 'secret' | 'previousSecret'>,
    at: Date,
  ): Promise<string[]> {
    return Promise.all(signingSecretsAt(target, at).map((ref) => this.plaintextOf(target.id, ref)));
  }

  private plaintextOf(webhookId: string, ref: SecretRef): Promise<string> {
    let plaintext = this.plaintexts.get(ref);
    if (plaintext === undefined) {
      plaintext = this.secrets.plaintextOf(webhookId, ref);
      this.plaintexts.set(ref, plaintext);
      plaintext.catch(() => this.plaintexts.delete(ref));
    }
    return plaintext;
  }
}
