import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WebhookCommandExecutor } from '../../application/webhook-command.executor';
import { DeleteWebhookCommand } from './delete-webhook.command';

@CommandHandler(DeleteWebhookCommand)
export class DeleteWebhookHandler implements ICommandHandler<DeleteWebhookCommand, void> {
  constructor(private readonly executor: WebhookCommandExecutor) {}

  async execute(command: DeleteWebhookCommand): Promise<void> {
    await this.executor.execute(
      { type: 'DeleteWebhook', data: { id: command.webhookId } },
      command.request,
      { ifMatchVersion: command.expectedVersion, consistency: command.consistency },
    );
  }
}
