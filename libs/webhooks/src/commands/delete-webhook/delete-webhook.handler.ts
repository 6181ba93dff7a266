import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WebhookCommandExecutor } from '../../application/webhook-command.executor';
import { WebhookSecrets } from '../../application/webhook-secrets';
import { DeleteWebhookCommand } from './delete-webhook.command';

@CommandHandler(DeleteWebhookCommand)
export class DeleteWebhookHandler implements ICommandHandler<DeleteWebhookCommand, void> {
  private readonly logger = new Logger('WebhookSecrets');

  constructor(
    private readonly executor: WebhookCommandExecutor,
    private readonly secrets: WebhookSecrets,
  ) {}

  async execute(command: DeleteWebhookCommand): Promise<void> {
    await this.executor.execute(
      { type: 'DeleteWebhook', data: { id: command.webhookId } },
      command.request,
      { ifMatchVersion: command.expectedVersion, consistency: command.consistency },
    );
    // Crypto-shredding: once the deletion is committed, its secrets' ciphertexts go (the history
    // keeps saying a secret was set or rotated, but it no longer decrypts). The deletion stands
    // even if this fails: `npm run secrets:reencrypt` shreds what a deleted webhook left.
    try {
      await this.secrets.shred(command.webhookId);
    } catch (error) {
      this.logger.warn(
        `webhook ${command.webhookId} is deleted but its secrets could not be shredded yet (${(error as Error).message}); npm run secrets:reencrypt shreds them`,
      );
    }
  }
}
