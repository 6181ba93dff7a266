import { Injectable } from '@nestjs/common';
import { generateWebhookSecret, SecretBox } from '@app/platform';
import {
  previousSecretSigningAt,
  type EncryptedSecret,
  type ExistingWebhook,
} from '../domain/webhook.events';
import { WebhookValidationError } from '../domain/webhook.errors';
import { isValidSecret, secretHintOf } from '../domain/webhook.rules';

export interface SealedSecret {
  /** Shown once, in the response of the command that made it; never stored. */
  plaintext: string;
  encryptedSecret: EncryptedSecret;
  secretHint: string;
}

export interface RevealedSecrets {
  secret: string;
  /** The rotated-out secret while it still signs. */
  previous: { secret: string; validUntil: string } | null;
}

/**
 * Webhook signing secrets: generated (or checked when an admin supplies one), encrypted under
 * SECRETS_ENCRYPTION_KEY and bound to their webhook's id, so a ciphertext copied onto another
 * webhook does not decrypt.
 */
@Injectable()
export class WebhookSecrets {
  constructor(private readonly box: SecretBox) {}

  seal(webhookId: string, supplied?: string): SealedSecret {
    if (supplied !== undefined && !isValidSecret(supplied)) {
      throw new WebhookValidationError([
        {
          field: 'secret',
          message: 'secret must be whsec_ followed by the base64 of 24 to 64 bytes',
        },
      ]);
    }
    const plaintext = supplied ?? generateWebhookSecret(32);
    return {
      plaintext,
      encryptedSecret: this.box.encrypt(plaintext, webhookId),
      secretHint: secretHintOf(plaintext),
    };
  }

  reveal(webhook: ExistingWebhook, now: Date): RevealedSecrets {
    const previous = previousSecretSigningAt(webhook.previousSecret, now);
    return {
      secret: this.box.decrypt(webhook.encryptedSecret, webhook.id),
      previous: previous
        ? {
            secret: this.box.decrypt(previous.encryptedSecret, webhook.id),
            validUntil: previous.validUntil,
          }
        : null,
    };
  }
}
