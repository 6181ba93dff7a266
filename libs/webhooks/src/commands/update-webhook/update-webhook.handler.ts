import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WebhookCommandExecutor } from '../../application/webhook-command.executor';
import { WebhookReader } from '../../application/webhook-reader';
import type { WebhookCommandResult } from '../command-result';
import { UpdateWebhookCommand } from './update-webhook.command';

@CommandHandler(UpdateWebhookCommand)
export class UpdateWebhookHandler implements ICommandHandler<
  UpdateWebhookCommand,
  WebhookCommandResult
> {
  constructor(
    private readonly executor: WebhookCommandExecutor,
    private readonly reader: WebhookReader,
  ) {}

  async execute(command: UpdateWebhookCommand): Promise<WebhookCommandResult> {
    const { changed } = await this.executor.execute(
      { type: 'UpdateWebhook', data: { id: command.webhookId, changes: command.changes } },
      command.request,
      command.expectedVersion,
    );
    return { webhook: await this.reader.get(command.webhookId), changed };
  }
}
