import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { CLOCK, type Clock, type VersionMismatch } from '@app/event-store';
import type { RequestMetadata } from '@app/platform';
import type { WebhookCommand } from '../domain/webhook.commands';
import type { ExistingWebhook, WebhookState } from '../domain/webhook.events';
import { WebhookNotFoundError } from '../domain/webhook.errors';
import { READ_YOUR_WRITES, type Consistency, type ReadYourWrites } from './consistency';
import { WebhookRepository } from './webhook-repository';
import { timesOfStream, viewOfState, type WebhookView } from './webhook.view';

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

/**
 * Runs a webhook command through the event store's decider command handler (load, check
 * `If-Match`, decide, append at the loaded version, decide again after a lost race without it).
 * Once the append succeeded the command has succeeded: the answer is built from the decided state,
 * and the wait for the list view (read your writes, when asked for and the app has one) is a
 * bounded best effort.
 */
@Injectable()
export class WebhookCommandExecutor {
  constructor(
    private readonly repository: WebhookRepository,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional()
    @Inject(READ_YOUR_WRITES)
    private readonly readYourWrites?: ReadYourWrites,
  ) {}

  async execute(
    command: WebhookCommand,
    request: RequestMetadata,
    { ifMatchVersion, consistency = 'eventual' }: ExecuteOptions = {},
  ): Promise<CommandOutcome> {
    const webhookId = command.data.id;
    const { state, version, events, changed } = await this.repository.handle(command, {
      metadata: request,
      expectedVersion: ifMatchVersion,
      context: () => ({
        now: this.clock.now(),
        secretRotationGraceHours: this.config.secretRotationGraceHours,
        allowHttp: this.config.webhooksAllowHttp,
      }),
      onVersionMismatch: (mismatch) => notFoundForIfMatch(webhookId, mismatch),
    });
    // Decided nothing on a webhook that never existed: there is nothing to answer with.
    if (state.status === 'none') throw new WebhookNotFoundError(webhookId);
    // From here on nothing may turn the command into an error (a write is committed).
    const last = events[events.length - 1];
    const view = viewOfState(state, timesOfStream(events));
    if (consistency === 'read-your-writes') await this.readYourWrites?.waitFor(last.position);
    return { webhook: state, view, version, changed };
  }
}

/**
 * If-Match on a webhook that never existed is a 404, not a 412: there is no version to match.
 * Every other mismatch stays the event store's ConcurrencyError (a 412 with the current version).
 */
function notFoundForIfMatch(
  webhookId: string,
  { kind, state }: VersionMismatch<WebhookState>,
): WebhookNotFoundError | undefined {
  return kind === 'expected-version' && state.status === 'none'
    ? new WebhookNotFoundError(webhookId)
    : undefined;
}
