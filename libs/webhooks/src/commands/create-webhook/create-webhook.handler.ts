import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WebhookCommandExecutor } from '../../application/webhook-command.executor';
import { WebhookSecrets } from '../../application/webhook-secrets';
import type { WebhookCommandResult } from '../command-result';
import { CreateWebhookCommand } from './create-webhook.command';

export interface CreatedWebhook extends WebhookCommandResult {
  /** The signing secret in full: shown this once (and by the admin-only reveal route). */
  secret: string;
}

@CommandHandler(CreateWebhookCommand)
export class CreateWebhookHandler implements ICommandHandler<CreateWebhookCommand, CreatedWebhook> {
  constructor(
    private readonly executor: WebhookCommandExecutor,
    private readonly secrets: WebhookSecrets,
  ) {}

  async execute({ input, request, consistency }: CreateWebhookCommand): Promise<CreatedWebhook> {
    const id = randomUUID();
    const { secret, ...fields } = input;
    const sealed = this.secrets.seal(id, secret);
    const { view } = await this.executor.execute(
      {
        type: 'CreateWebhook',
        data: {
          id,
          ...fields,
          encryptedSecret: sealed.encryptedSecret,
          secretHint: sealed.secretHint,
        },
      },
      request,
      { consistency },
    );
    return { webhook: view, changed: true, secret: sealed.plaintext };
  }
}
