import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { CLOCK, type Clock } from '@app/event-store';
import { SubscriptionIndex, type WebhookTarget } from '@app/webhooks';
import { nextStepAfter, type NextStep } from '../domain/attempt-outcome';
import { nextRetryDelayMs } from '../domain/retry-schedule';
import { RetryPolicyFollower } from '@app/retry-policy';
import type { SendResult } from '../sending/http-sender';
import { REDACTED } from '../signing/signature-redaction';
import { signWebhook } from '../signing/webhook-signature';
import type { AttemptOutcome } from '../storage/delivery.documents';
import { ATTEMPT_SENDER, type AttemptSender } from './attempt-sender';
import type { DeliveryJob } from './delivery-job';
import { DeliveryMetrics } from './delivery-metrics';
import type { AttemptRecord, DeliveryRecorder } from './delivery-recorder';
import { FAILURE_REASONS } from './attempt-consequences';
import { SigningSecrets } from './signing-secrets';

/**
 * A queued attempt whose webhook this worker's index does not know (yet): created after the index
 * last caught up. The attempt is handed back and tried again shortly, never failed.
 */
export class WebhookNotKnownYetError extends Error {
  override readonly name = 'WebhookNotKnownYetError';
  constructor(readonly webhookId: string) {
    super(`webhook ${webhookId} is not in this worker's index yet`);
  }
}

/**
 * Makes one attempt of a delivery: sign, send, decide what comes next (done, failed for good, or a
 * retry on the policy's schedule), and record it (DeliveryRecorder), which also sets off what the
 * attempt means for its endpoint and the operational events (AttemptConsequences). The webhook's URL and
 * secrets are taken as they are at the moment of the attempt, so a retry after an edit goes to
 * the new URL, and during a rotation's grace window the request carries both signatures.
 *
 * Resolves once the attempt and what follows it are durable; rejects when they are not (the
 * worker is stopping) or when the webhook is not known yet (WebhookNotKnownYetError).
 */
@Injectable()
export class AttemptRunner {
  constructor(
    private readonly index: SubscriptionIndex,
    private readonly secrets: SigningSecrets,
    @Inject(ATTEMPT_SENDER) private readonly sender: AttemptSender,
    private readonly retryPolicy: RetryPolicyFollower,
    private readonly config: AppConfig,
    private readonly metrics: DeliveryMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * `requestDone` is called once the HTTP request is over (or none is made), before the record is
   * written: the dispatcher then gives the request's slot to the next attempt.
   */
  async run(job: DeliveryJob, recorder: DeliveryRecorder, requestDone = () => {}): Promise<void> {
    // A claimed entry whose attempt was recorded already (a crash between the record and the
    // removal of the entry): only what follows it is written again, nothing is sent.
    if (job.origin.kind === 'queue') {
      const recorded = await recorder.recorded(job.id, job.attempt);
      if (recorded) return recorder.follow(job, recorded);
    }
    const startedAt = this.clock.now();
    const found = this.index.lookup(job.webhookId);
    if (found.status === 'unknown') throw new WebhookNotKnownYetError(job.webhookId);
    if (found.status === 'deleted') {
      return this.recordUnsent(job, recorder, startedAt, 'not sent: the webhook was deleted');
    }
    // Requested attempts (retry, recover, test) go to inactive webhooks too: someone asked.
    if (found.status === 'inactive' && job.trigger === 'automatic') {
      return this.recordUnsent(job, recorder, startedAt, 'not sent: the webhook is inactive');
    }
    const { target } = found as Extract<typeof found, { target: WebhookTarget }>;
    let headers: Record<string, string> = {};
    let result: SendResult;
    try {
      headers = signWebhook({
        messageId: job.eventId,
        timestampSeconds: Math.floor(startedAt.getTime() / 1000),
        body: job.body,
        // Read from the secret store and decrypted once per secret (SigningSecrets).
        secrets: await this.secrets.secretsOf(target, startedAt),
        eventType: job.eventType,
      });
      result = await this.sender.send({
        url: target.url,
        headers: withCustomHeaders(headers, target.headers),
        body: job.body,
      });
    } catch (error) {
      // A secret that does not decrypt (its key is not in this worker's SECRETS_ENCRYPTION_KEY, it
      // was shredded, or it is corrupt): a failed attempt like any other, retried on schedule, so
      // fixing the keyring recovers.
      result = unsent(`not sent: ${(error as Error).message}`);
    } finally {
      requestDone();
    }
    this.metrics.attempted(result);
    const done = this.clock.now();
    const next = this.nextStep(job, result, target);
    // The webhook's own headers are recorded by name only: their values may be credentials.
    const recordedHeaders = withCustomHeaders(headers, redactedValues(target.headers));
    await recorder.record(job, {
      ...this.attemptBase(job, startedAt, target.url, recordedHeaders, result),
      outcome: outcomeOf(next, done),
      scheduledAttempts: job.oneShot ? job.scheduledAttempts : job.scheduledAttempts + 1,
    });
    if (next.status === 'retrying') this.metrics.retriesScheduled.inc();
    else this.metrics.finished.inc({ status: next.status });
    if (next.status === 'failed' && next.reason === 'exhausted') this.metrics.exhausted.inc();
  }

  private nextStep(job: DeliveryJob, result: SendResult, target: WebhookTarget): NextStep {
    // The webhook's own policy when it has one, else the default as it is now.
    const policy = target.retryPolicy ?? this.retryPolicy.current();
    return nextStepAfter(
      { scheduledAttempts: job.scheduledAttempts, manual: job.oneShot },
      result,
      (made, retryAfterSeconds) =>
        nextRetryDelayMs(policy, made, {
          random: Math.random,
          retryAfterSeconds,
          maxRetryAfterSeconds: this.config.deliveryMaxRetryAfterSeconds,
        }),
    );
  }

  private attemptBase(
    job: DeliveryJob,
    at: Date,
    url: string,
    requestHeaders: Record<string, string>,
    result: Pick<SendResult, 'responseStatus' | 'responseBody' | 'durationMs' | 'error'>,
  ): Omit<AttemptRecord, 'outcome' | 'scheduledAttempts'> {
    return {
      deliveryId: job.id,
      webhookId: job.webhookId,
      eventId: job.eventId,
      number: job.attempt,
      at,
      trigger: job.trigger,
      requestedBy: job.requestedBy,
      url,
      requestHeaders,
      responseStatus: result.responseStatus,
      responseBody: result.responseBody,
      durationMs: result.durationMs,
      error: result.error,
    };
  }

  /**
   * Nothing can be sent (the webhook is gone or paused, the event no longer stored): the delivery
   * ends, and its record says why.
   */
  async recordUnsent(
    job: DeliveryJob,
    recorder: DeliveryRecorder,
    at: Date,
    reason: string,
  ): Promise<void> {
    await recorder.record(job, {
      ...this.attemptBase(job, at, '', {}, unsent(reason)),
      outcome: { status: 'failed', reason },
      scheduledAttempts: job.scheduledAttempts,
    });
    this.metrics.finished.inc({ status: 'failed' });
  }
}

function outcomeOf(next: NextStep, now: Date): AttemptOutcome {
  switch (next.status) {
    case 'succeeded':
      return { status: 'succeeded' };
    case 'failed':
      return { status: 'failed', reason: FAILURE_REASONS[next.reason] };
    case 'retrying':
      return { status: 'retrying', nextAttemptAt: new Date(now.getTime() + next.delayMs) };
    default: {
      const unreachable: never = next;
      throw new Error(`unknown next step ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Ours first, then the webhook's own: a name we set is never replaced (the rules refuse those
 * names already; this keeps it so should an old event hold one).
 */
function withCustomHeaders(
  ours: Record<string, string>,
  custom: Readonly<Record<string, string>>,
): Record<string, string> {
  const headers = { ...ours };
  for (const [name, value] of Object.entries(custom)) {
    if (!Object.hasOwn(headers, name)) headers[name] = value;
  }
  return headers;
}

function redactedValues(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, REDACTED]));
}

function unsent(error: string): SendResult {
  return {
    outcome: 'failed',
    responseStatus: null,
    responseBody: null,
    durationMs: 0,
    error,
    retryAfterSeconds: null,
  };
}
