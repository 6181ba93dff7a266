import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WebhookCommandExecutor } from '../../application/webhook-command.executor';
import { WebhookSecrets } from '../../application/webhook-secrets';
import type { WebhookView } from '../../application/webhook.view';
import type { ExistingWebhook } from '../../domain/webhook.events';
import { isRefusal } from '../create-webhook/create-webhook.handler';
import type { WebhookCommandResult } from '../command-result';
import { RotateSecretCommand } from './rotate-secret.command';

export interface RotatedSecret extends WebhookCommandResult {
  /** The new secret in full, shown once. */
  secret: string;
  /** Until when the previous secret still signs deliveries. */
  previousSecretValidUntil: string | null;
}

@CommandHandler(RotateSecretCommand)
export class RotateSecretHandler implements ICommandHandler<RotateSecretCommand, RotatedSecret> {
  constructor(
    private readonly executor: WebhookCommandExecutor,
    private readonly secrets: WebhookSecrets,
  ) {}

  async execute(command: RotateSecretCommand): Promise<RotatedSecret> {
    const id = command.webhookId;
    // Stored before the event that refers to it is appended (an insert under a unique id).
    const sealed = await this.secrets.seal(id, command.secret);
    let webhook: ExistingWebhook;
    let view: WebhookView;
    try {
      ({ webhook, view } = await this.executor.execute(
        {
          type: 'RotateSecret',
          data: { id, secretId: sealed.secretId, secretHint: sealed.secretHint },
        },
        command.request,
        { ifMatchVersion: command.expectedVersion, consistency: command.consistency },
      ));
    } catch (error) {
      if (isRefusal(error)) await this.secrets.discard(id, sealed.secretId);
      throw error;
    }
    return {
      webhook: view,
      changed: true,
      secret: sealed.plaintext,
      previousSecretValidUntil: webhook.previousSecret?.validUntil ?? null,
    };
  }
}
