import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@app/event-store';
import { PlatformEventPublisher } from '@app/platform-events';
import { SubscriptionIndex, isEnvironment } from '@app/webhooks';
import type { NextStep } from '../domain/attempt-outcome';
import { announcesFailureOf, deliveryFailedEvent } from '../domain/operational-events';
import type { DeliveryAttemptDocument } from '../storage/delivery.documents';
import type { DeliveryJob } from './delivery-job';
import { EndpointHealth } from './endpoint-health';

/** The words a failed delivery's record gives for why it ended. */
export const FAILURE_REASONS = {
  exhausted: 'every attempt of the retry policy failed',
  gone: 'the endpoint answered 410 Gone',
  manual: 'the requested attempt failed',
} as const satisfies Record<Extract<NextStep, { status: 'failed' }>['reason'], string>;

/**
 * What a recorded attempt sets off beyond its delivery: the endpoint's health (a success ends a
 * failing streak, a failure extends it, a 410 Gone pauses the webhook at once, and a pause is
 * announced as `webhook.paused`), and, for a delivery whose retries ran out, `delivery.failed`.
 *
 * Run by DeliveryRecorder.follow after the attempt's record and before its summary and the removal
 * of its queue entry, that is, inside the step that a crash has done again (a Kafka-fed delivery is
 * read again from its uncommitted offset, a queued one claimed again, and both follow the recorded
 * attempt again). So a crash between a record (the attempt, the pause) and its announcement is
 * repaired by announcing again, under the same derived id, which the intake deduplicates: exactly
 * one event is delivered. Rejects only when the worker stops before an announcement is out, which
 * leaves the step unfinished for the next worker.
 */
@Injectable()
export class AttemptConsequences {
  private readonly logger = new Logger(AttemptConsequences.name);

  constructor(
    private readonly health: EndpointHealth,
    private readonly events: PlatformEventPublisher,
    private readonly index: SubscriptionIndex,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async followed(job: DeliveryJob, attempt: DeliveryAttemptDocument): Promise<void> {
    // Not sent (the webhook deleted or paused, the event no longer stored): says nothing about the
    // endpoint, and no retry was made, so nothing was exhausted.
    if (attempt.url === '') return;
    await this.updateHealth(attempt);
    if (exhausted(attempt) && announcesFailureOf(job.eventType))
      await this.announceFailure(job, attempt);
  }

  private async updateHealth(attempt: DeliveryAttemptDocument): Promise<void> {
    const now = this.clock.now();
    if (attempt.outcome.status === 'succeeded')
      return this.health.succeeded(attempt.webhookId, now);
    // 410 is the sender's "gone" (HttpSender.judge), on any attempt, requested ones too.
    if (attempt.responseStatus === 410) {
      return this.health.pause(attempt.webhookId, 'gone', FAILURE_REASONS.gone);
    }
    return this.health.failed(attempt.webhookId, attempt.error ?? 'failed', now);
  }

  private async announceFailure(job: DeliveryJob, attempt: DeliveryAttemptDocument): Promise<void> {
    const webhook = this.index.describe(job.webhookId);
    if (!isEnvironment(job.environment)) {
      this.logger.error(
        `delivery ${job.id}: unknown environment ${job.environment}, not announced`,
      );
      return;
    }
    await this.events.publish(
      deliveryFailedEvent({
        delivery: {
          id: job.id,
          attempts: attempt.number,
          lastResponseStatus: attempt.responseStatus,
          lastError: attempt.error,
        },
        // The URL it was sent to; the name as the index knows it (deleted webhooks too).
        webhook: { id: job.webhookId, name: webhook?.name ?? job.webhookId, url: attempt.url },
        event: { id: job.eventId, type: job.eventType, environment: job.environment },
        failedAt: attempt.at,
      }),
    );
  }
}

/** The delivery ended because every attempt of the retry policy failed. */
export function exhausted(attempt: Pick<DeliveryAttemptDocument, 'outcome'>): boolean {
  return (
    attempt.outcome.status === 'failed' && attempt.outcome.reason === FAILURE_REASONS.exhausted
  );
}
