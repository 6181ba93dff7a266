import { createHash, randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, ConcurrencyError, type Clock } from '@app/event-store';
import { WebhookCommandExecutor } from '../../application/webhook-command.executor';
import { WebhookRepository } from '../../application/webhook-repository';
import { WebhookSecrets } from '../../application/webhook-secrets';
import { timesOfStream, viewOfState } from '../../application/webhook.view';
import {
  WebhookAlreadyExistsError,
  WebhookNotFoundError,
  WebhookValidationError,
} from '../../domain/webhook.errors';
import type { WebhookCommandResult } from '../command-result';
import { CreateWebhookCommand } from './create-webhook.command';

export interface CreatedWebhook extends WebhookCommandResult {
  /**
   * The signing secret in full: shown this once (and by the admin-only reveal route). Null for an
   * asymmetric webhook, whose private key is never shown (its view carries the public key).
   */
  secret: string | null;
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
    const { secret, signatureScheme, retryPolicy, rateLimitPerSecond, headers, ...fields } = input;
    // Stored before the event that refers to it is appended (an insert under a unique id).
    const sealed = await this.secrets.seal(id, secret, signatureScheme);
    try {
      const { view } = await this.executor.execute(
        {
          type: 'CreateWebhook',
          data: {
            id,
            ...fields,
            secretId: sealed.secretId,
            secretHint: sealed.secretHint,
            signatureScheme: sealed.signatureScheme,
            publicKey: sealed.publicKey,
            deliverySettings: { retryPolicy, rateLimitPerSecond, headers },
          },
        },
        request,
        { consistency },
      );
      return { webhook: view, changed: true, secret: sealed.plaintext };
    } catch (error) {
      // Refused before anything was appended: no event refers to the new secret. (After any
      // other failure the append may have landed, so the secret stays.)
      if (isRefusal(error)) await this.secrets.discard(id, sealed.secretId);
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
    const view = viewOfState(state, timesOfStream(events));
    return {
      webhook: view,
      changed: false,
      secret: (await this.secrets.reveal(state, this.clock.now())).secret,
    };
  }
}

/** The domain refused the command: it appended nothing. */
export function isRefusal(error: unknown): boolean {
  return (
    error instanceof WebhookAlreadyExistsError ||
    error instanceof WebhookValidationError ||
    error instanceof WebhookNotFoundError ||
    error instanceof ConcurrencyError
  );
}

/** A UUID (version 5 layout) derived from the request's idempotency scope. */
export function webhookIdOf(scope: string): string {
  const bytes = createHash('sha256').update('webhook:').update(scope).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
