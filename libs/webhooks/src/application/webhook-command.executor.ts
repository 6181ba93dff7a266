import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { CLOCK, ConcurrencyError, ProjectionHost, type Clock } from '@app/event-store';
import { decide, type WebhookCommand } from '../domain/webhook.commands';
import { evolve, type ExistingWebhook } from '../domain/webhook.events';
import { WebhookNotFoundError } from '../domain/webhook.errors';
import { WEBHOOK_DIRECTORY_PROJECTION } from '../read-models/directory/webhook-directory';
import type { Consistency } from './consistency';
import type { RequestMetadata } from '@app/platform';
import { WebhookRepository } from './webhook-repository';
import { viewOfState, type WebhookView } from './webhook.view';

export interface CommandOutcome {
  webhook: ExistingWebhook;
  /** The webhook as the API shows it, from the decided state and its events' times. */
  view: WebhookView;
  /** The stream version after the command (unchanged when it decided nothing). */
  version: number;
  changed: boolean;
}

export interface ExecuteOptions {
  /** From `If-Match`: the version the caller last saw; a different one is a ConcurrencyError. */
  ifMatchVersion?: number;
  /** Default `eventual`: return as soon as the events are committed. */
  consistency?: Consistency;
}

/** Retries of a command without If-Match that lost a race to another writer of the same webhook. */
const UNCONDITIONAL_ATTEMPTS = 3;
/**
 * How long a read-your-writes command waits for the list view (this api's in-memory webhook
 * directory). The append wakes it at once, so normally it takes one read of the new commit;
 * longer only while the api is still catching up at boot, and then the write answers anyway.
 */
const READ_YOUR_WRITES_WAIT_MS = 3000;

/**
 * Runs a webhook command: load the stream, check `If-Match`, decide, append at the loaded version.
 * Once the append succeeded the command has succeeded: the answer is built from the decided state,
 * and the wait for the list view (read your writes, when asked for) is a bounded best effort.
 */
@Injectable()
export class WebhookCommandExecutor {
  private readonly logger = new Logger(WebhookCommandExecutor.name);

  constructor(
    private readonly repository: WebhookRepository,
    private readonly projections: ProjectionHost,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(
    command: WebhookCommand,
    request: RequestMetadata,
    { ifMatchVersion, consistency = 'eventual' }: ExecuteOptions = {},
  ): Promise<CommandOutcome> {
    const webhookId = command.data.id;
    for (let attempt = 1; ; attempt++) {
      const { state, version, events: history } = await this.repository.load(webhookId);
      if (ifMatchVersion !== undefined && ifMatchVersion !== version) {
        if (state.status === 'none') throw new WebhookNotFoundError(webhookId);
        throw new ConcurrencyError(`webhook-${webhookId}`, ifMatchVersion, version);
      }
      const events = decide(command, state, {
        now: this.clock.now(),
        secretRotationGraceHours: this.config.secretRotationGraceHours,
        allowHttp: this.config.webhooksAllowHttp,
      });
      if (events.length === 0) {
        // Nothing to write; the answer still shows the webhook as its last write left it.
        if (state.status === 'none') throw new WebhookNotFoundError(webhookId);
        const webhook = state;
        const last = history[history.length - 1];
        await this.showInListView(last.position, consistency);
        const view = viewOfState(webhook, {
          createdAt: history[0].recordedAt,
          updatedAt: last.recordedAt,
        });
        return { webhook, view, version, changed: false };
      }
      let appended;
      try {
        appended = await this.repository.append(webhookId, version, events, request);
      } catch (error) {
        // Without If-Match the caller asked for "whatever the webhook is now": decide again.
        const retry =
          error instanceof ConcurrencyError &&
          ifMatchVersion === undefined &&
          attempt < UNCONDITIONAL_ATTEMPTS;
        if (retry) continue;
        throw error;
      }
      // Committed: from here on nothing may turn the write into an error.
      const webhook = events.reduce(evolve, state) as ExistingWebhook;
      const view = viewOfState(webhook, {
        createdAt: (history[0] ?? appended.events[0]).recordedAt,
        updatedAt: appended.events[appended.events.length - 1].recordedAt,
      });
      await this.showInListView(appended.lastPosition, consistency);
      return { webhook, view, version: appended.version, changed: true };
    }
  }

  /**
   * For read-your-writes: waits until the list view has `position`, for at most
   * READ_YOUR_WRITES_WAIT_MS. Never throws. Apps without the view (the worker) skip it.
   */
  private async showInListView(position: number, consistency: Consistency): Promise<void> {
    if (consistency !== 'read-your-writes') return;
    if (!this.projections.names.includes(WEBHOOK_DIRECTORY_PROJECTION)) return;
    try {
      await this.projections
        .runner(WEBHOOK_DIRECTORY_PROJECTION)
        .waitFor(position, READ_YOUR_WRITES_WAIT_MS);
    } catch (error) {
      this.logger.warn(
        `answering a committed write before the list view shows it: ${(error as Error).message}`,
      );
    }
  }
}
