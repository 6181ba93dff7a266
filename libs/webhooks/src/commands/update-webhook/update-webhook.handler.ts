import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WebhookCommandExecutor } from '../../application/webhook-command.executor';
import type { WebhookCommandResult } from '../command-result';
import { UpdateWebhookCommand } from './update-webhook.command';

@CommandHandler(UpdateWebhookCommand)
export class UpdateWebhookHandler implements ICommandHandler<
  UpdateWebhookCommand,
  WebhookCommandResult
> {
  constructor(private readonly executor: WebhookCommandExecutor) {}

  async execute(command: UpdateWebhookCommand): Promise<WebhookCommandResult> {
    const { retryPolicy, rateLimitPerSecond, headers, ...changes } = command.changes;
    const { view, changed } = await this.executor.execute(
      {
        type: 'UpdateWebhook',
        data: {
          id: command.webhookId,
          changes,
          deliverySettings: { retryPolicy, rateLimitPerSecond, headers },
        },
      },
      command.request,
      { ifMatchVersion: command.expectedVersion, consistency: command.consistency },
    );
    return { webhook: view, changed };
  }
}
