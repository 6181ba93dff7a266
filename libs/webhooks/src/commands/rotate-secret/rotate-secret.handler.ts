import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WebhookCommandExecutor } from '../../application/webhook-command.executor';
import { WebhookSecrets } from '../../application/webhook-secrets';
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
    const sealed = this.secrets.seal(id, command.secret);
    const { webhook, view } = await this.executor.execute(
      {
        type: 'RotateSecret',
        data: { id, encryptedSecret: sealed.encryptedSecret, secretHint: sealed.secretHint },
      },
      command.request,
      { ifMatchVersion: command.expectedVersion, consistency: command.consistency },
    );
    return {
      webhook: view,
      changed: true,
      secret: sealed.plaintext,
      previousSecretValidUntil: webhook.previousSecret?.validUntil ?? null,
    };
  }
}
