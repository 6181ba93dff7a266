import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WebhookCommandExecutor } from '../../application/webhook-command.executor';
import { WebhookNotFoundError } from '../../domain/webhook.errors';
import { PauseWebhookCommand } from './pause-webhook.command';

/**
 * Resolves to whether the webhook changed: false when it was already inactive, or deleted meanwhile
 * (nothing left to pause, which is not the delivery side's error).
 */
@CommandHandler(PauseWebhookCommand)
export class PauseWebhookHandler implements ICommandHandler<PauseWebhookCommand, boolean> {
  constructor(private readonly executor: WebhookCommandExecutor) {}

  async execute(command: PauseWebhookCommand): Promise<boolean> {
    try {
      const { changed } = await this.executor.execute(
        {
          type: 'DeactivateWebhook',
          data: { id: command.webhookId, reason: 'automatic', detail: command.detail },
        },
        command.request,
      );
      return changed;
    } catch (error) {
      if (error instanceof WebhookNotFoundError) return false;
      throw error;
    }
  }
}
