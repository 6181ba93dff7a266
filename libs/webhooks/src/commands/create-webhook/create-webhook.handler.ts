import { createHash, randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/event-store';
import { WebhookCommandExecutor } from '../../application/webhook-command.executor';
import { WebhookRepository } from '../../application/webhook-repository';
import { WebhookSecrets } from '../../application/webhook-secrets';
import { viewOfState } from '../../application/webhook.view';
import { WebhookAlreadyExistsError } from '../../domain/webhook.errors';
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
    private readonly repository: WebhookRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: CreateWebhookCommand): Promise<CreatedWebhook> {
    const { input, request, consistency, idempotencyScope } = command;
    // With an Idempotency-Key, the id follows from it: a create run again (the first process died
    // before it could answer) finds the webhook it made rather than making a second one.
    const id = idempotencyScope ? webhookIdOf(idempotencyScope) : randomUUID();
    const { secret, ...fields } = input;
    const sealed = this.secrets.seal(id, secret);
    try {
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
    } catch (error) {
      if (!(error instanceof WebhookAlreadyExistsError) || !idempotencyScope) throw error;
      return this.createdBefore(id);
    }
  }

  /** The webhook this very request made on an earlier run, answered as that run would have. */
  private async createdBefore(id: string): Promise<CreatedWebhook> {
    const { state, events } = await this.repository.load(id);
    if (state.status !== 'active' && state.status !== 'inactive') {
      throw new WebhookAlreadyExistsError(id);
    }
    const view = viewOfState(state, {
      createdAt: events[0].recordedAt,
      updatedAt: events[events.length - 1].recordedAt,
    });
    return {
      webhook: view,
      changed: false,
      secret: this.secrets.reveal(state, this.clock.now()).secret,
    };
  }
}

/** A UUID (version 5 layout) derived from the request's idempotency scope. */
export function webhookIdOf(scope: string): string {
  const bytes = createHash('sha256').update('webhook:').update(scope).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
