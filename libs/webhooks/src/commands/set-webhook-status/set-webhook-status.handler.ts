import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WebhookCommandExecutor } from '../../application/webhook-command.executor';
import { WebhookReader } from '../../application/webhook-reader';
import type { WebhookCommandResult } from '../command-result';
import { SetWebhookStatusCommand } from './set-webhook-status.command';

@CommandHandler(SetWebhookStatusCommand)
export class SetWebhookStatusHandler implements ICommandHandler<
  SetWebhookStatusCommand,
  WebhookCommandResult
> {
  constructor(
    private readonly executor: WebhookCommandExecutor,
    private readonly reader: WebhookReader,
  ) {}

  async execute(command: SetWebhookStatusCommand): Promise<WebhookCommandResult> {
    const id = command.webhookId;
    const { changed } = await this.executor.execute(
      command.active
        ? { type: 'ActivateWebhook', data: { id } }
        : { type: 'DeactivateWebhook', data: { id, reason: 'admin' } },
      command.request,
      command.expectedVersion,
    );
    return { webhook: await this.reader.get(id), changed };
  }
}
