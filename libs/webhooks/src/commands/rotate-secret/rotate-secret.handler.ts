import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WebhookCommandExecutor } from '../../application/webhook-command.executor';
import { WebhookRepository } from '../../application/webhook-repository';
import { WebhookSecrets } from '../../application/webhook-secrets';
import type { WebhookView } from '../../application/webhook.view';
import type { ExistingWebhook } from '../../domain/webhook.events';
import { isRefusal } from '../create-webhook/create-webhook.handler';
import type { WebhookCommandResult } from '../command-result';
import { RotateSecretCommand } from './rotate-secret.command';

export interface RotatedSecret extends WebhookCommandResult {
  /** The new secret in full, shown once; null for an ed25519 key (never shown; see the view's publicKey). */
  secret: string | null;
  /** Until when the previous secret still signs deliveries. */
  previousSecretValidUntil: string | null;
}

@CommandHandler(RotateSecretCommand)
export class RotateSecretHandler implements ICommandHandler<RotateSecretCommand, RotatedSecret> {
  private readonly logger = new Logger('WebhookSecrets');

  constructor(
    private readonly executor: WebhookCommandExecutor,
    private readonly secrets: WebhookSecrets,
    private readonly repository: WebhookRepository,
  ) {}

  async execute(command: RotateSecretCommand): Promise<RotatedSecret> {
    const id = command.webhookId;
    // The secret rotated out before this one stops signing with this rotation (only the secret
    // being replaced gets a grace window): once it is committed, its ciphertext can go.
    const before = await this.repository.load(id);
    const retiring =
      before.state.status === 'active' || before.state.status === 'inactive'
        ? before.state.previousSecret?.secret.id
        : undefined;
    // Stored before the event that refers to it is appended (an insert under a unique id).
    const sealed = await this.secrets.seal(id, command.secret, command.signatureScheme);
    let webhook: ExistingWebhook;
    let view: WebhookView;
    try {
      ({ webhook, view } = await this.executor.execute(
        {
          type: 'RotateSecret',
          data: {
            id,
            secretId: sealed.secretId,
            secretHint: sealed.secretHint,
            signatureScheme: sealed.signatureScheme,
            publicKey: sealed.publicKey,
          },
        },
        command.request,
        { ifMatchVersion: command.expectedVersion, consistency: command.consistency },
      ));
    } catch (error) {
      if (isRefusal(error)) await this.secrets.discard(id, sealed.secretId);
      throw error;
    }
    // Any rotation committed since the load retired it as well; never the two still in use.
    const inUse = [webhook.secret.id, webhook.previousSecret?.secret.id];
    if (retiring !== undefined && !inUse.includes(retiring)) {
      await this.secrets
        .discard(id, retiring)
        .catch((error: Error) =>
          this.logger.warn(
            `webhook ${id}: a rotated-out secret could not be deleted yet (${error.message})`,
          ),
        );
    }
    return {
      webhook: view,
      changed: true,
      secret: sealed.plaintext,
      previousSecretValidUntil: webhook.previousSecret?.validUntil ?? null,
    };
  }
}
