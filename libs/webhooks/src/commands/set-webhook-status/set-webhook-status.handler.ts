import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WebhookCommandExecutor } from '../../application/webhook-command.executor';
import type { WebhookCommandResult } from '../command-result';
import { SetWebhookStatusCommand } from './set-webhook-status.command';

@CommandHandler(SetWebhookStatusCommand)
export class SetWebhookStatusHandler implements ICommandHandler<
  SetWebhookStatusCommand,
  WebhookCommandResult
> {
  constructor(private readonly executor: WebhookCommandExecutor) {}

  async execute(command: SetWebhookStatusCommand): Promise<WebhookCommandResult> {
    const id = command.webhookId;
    const { view, changed } = await this.executor.execute(
      command.active
        ? { type: 'ActivateWebhook', data: { id } }
        : { type: 'DeactivateWebhook', data: { id, reason: 'admin' } },
      command.request,
      { ifMatchVersion: command.expectedVersion, consistency: command.consistency },
    );
    return { webhook: view, changed };
  }
}
