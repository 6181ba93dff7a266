import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { CLOCK, ConcurrencyError, ProjectionHost, type Clock } from '@app/event-store';
import { decide, type WebhookCommand } from '../domain/webhook.commands';
import { evolve, type ExistingWebhook } from '../domain/webhook.events';
import { WebhookNotFoundError } from '../domain/webhook.errors';
import { WEBHOOK_LIST_PROJECTION } from '../read-models/webhook-list.projection';
import type { RequestMetadata } from './request-metadata';
import { WebhookRepository } from './webhook-repository';

export interface CommandOutcome {
  webhook: ExistingWebhook;
  /** The stream version after the command (unchanged when it decided nothing). */
  version: number;
  changed: boolean;
}

/** Retries of a command without If-Match that lost a race to another writer of the same webhook. */
const UNCONDITIONAL_ATTEMPTS = 3;
/** How long a write waits for the list view to show it (read your writes). */
const READ_YOUR_WRITES_TIMEOUT_MS = 5000;

/**
 * Runs a webhook command: load the stream, check `If-Match`, decide, append at the loaded version,
 * and return once the list view shows the change, so the caller's next read sees its write.
 */
@Injectable()
export class WebhookCommandExecutor {
  constructor(
    private readonly repository: WebhookRepository,
    private readonly projections: ProjectionHost,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(
    command: WebhookCommand,
    request: RequestMetadata,
    ifMatchVersion?: number,
  ): Promise<CommandOutcome> {
    const webhookId = command.data.id;
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.repository.load(webhookId);
      if (ifMatchVersion !== undefined && ifMatchVersion !== version) {
        if (state.status === 'none') throw new WebhookNotFoundError(webhookId);
        throw new ConcurrencyError(`webhook-${webhookId}`, ifMatchVersion, version);
      }
      const events = decide(command, state, {
        now: this.clock.now(),
        secretRotationGraceHours: this.config.secretRotationGraceHours,
        allowHttp: this.config.webhooksAllowHttp,
      });
      if (events.length === 0)
        return { webhook: state as ExistingWebhook, version, changed: false };
      try {
        const result = await this.repository.append(webhookId, version, events, request);
        // The api keeps the list view and waits for it; the worker (which pauses failing webhooks)
        // keeps no list view and has nobody to show the write to.
        if (this.projections.names.includes(WEBHOOK_LIST_PROJECTION)) {
          await this.projections
            .runner(WEBHOOK_LIST_PROJECTION)
            .waitFor(result.lastPosition, READ_YOUR_WRITES_TIMEOUT_MS);
        }
        const after = events.reduce(evolve, state) as ExistingWebhook;
        return { webhook: after, version: result.version, changed: true };
      } catch (error) {
        // Without If-Match the caller asked for "whatever the webhook is now": decide again.
        const retry =
          error instanceof ConcurrencyError &&
          ifMatchVersion === undefined &&
          attempt < UNCONDITIONAL_ATTEMPTS;
        if (!retry) throw error;
      }
    }
  }
}
