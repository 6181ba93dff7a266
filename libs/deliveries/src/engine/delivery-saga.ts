import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { CLOCK, type Clock } from '@app/event-store';
import { SecretBox } from '@app/platform';
import { SubscriptionIndex, type WebhookTarget } from '@app/webhooks';
import { nextStepAfter } from '../domain/attempt-outcome';
import { nextRetryDelayMs } from '../domain/retry-schedule';
import { RetryPolicyFollower } from '../retry-policy/follower/retry-policy-follower';
import { signWebhook } from '../signing/webhook-signature';
import type { DeliveryAttempt } from '../storage/delivery.documents';
import type { SendResult } from '../sending/http-sender';
import { ATTEMPT_SENDER, type AttemptSender } from './attempt-sender';
import type { DeliveryJob } from './delivery-job';
import { DeliveryMetrics } from './delivery-metrics';
import { DeliveryStore } from './delivery.store';
import { EndpointHealth } from './endpoint-health';

/**
 * One step of a delivery: sign, send, record, and decide what comes next (done, failed for good, or
 * a retry on the policy's schedule). The webhook's URL and secrets are taken as they are at the
 * moment of the attempt, so a retry after an edit goes to the new URL, and during a rotation's
 * grace window the request carries both signatures. Never throws: storage failures are retried by
 * the store.
 */
@Injectable()
export class DeliverySaga {
  private readonly logger = new Logger(DeliverySaga.name);
  /** Decrypted secrets by webhook id, for the webhook version they belong to. Never logged. */
  private readonly plaintexts = new Map<
    string,
    { version: number; current: string; previous: string | null }
  >();

  constructor(
    private readonly index: SubscriptionIndex,
    private readonly box: SecretBox,
    @Inject(ATTEMPT_SENDER) private readonly sender: AttemptSender,
    private readonly store: DeliveryStore,
    private readonly retryPolicy: RetryPolicyFollower,
    private readonly health: EndpointHealth,
    private readonly config: AppConfig,
    private readonly metrics: DeliveryMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async attempt(job: DeliveryJob): Promise<void> {
    try {
      await this.step(job);
    } catch (error) {
      // Only on shutdown (the store retries everything else): the delivery stays unrecorded, and
      // its Kafka offset or queue lease brings it back.
      this.logger.warn(`delivery ${job.id} interrupted: ${(error as Error).message}`);
    }
  }

  private async step(job: DeliveryJob): Promise<void> {
    const startedAt = this.clock.now();
    const found = this.index.lookup(job.webhookId);
    if (!('target' in found)) {
      this.plaintexts.delete(job.webhookId);
      return this.endUnsent(job, startedAt, 'not sent: the webhook was deleted');
    }
    if (found.status === 'inactive' && !job.manual) {
      return this.endUnsent(job, startedAt, 'not sent: the webhook is inactive');
    }
    // Manual sends (retry, recover, test) go to inactive webhooks too: an admin asked for them.
    const { target } = found;
    const body = JSON.stringify(job.payload);
    let headers: Record<string, string> = {};
    let result: SendResult;
    try {
      headers = signWebhook({
        messageId: job.eventId,
        timestampSeconds: Math.floor(startedAt.getTime() / 1000),
        body,
        secrets: this.secretsOf(target, startedAt),
        eventType: job.eventType,
      });
      result = await this.sender.send({ url: target.url, headers, body });
    } catch (error) {
      // A secret that does not decrypt (SECRETS_ENCRYPTION_KEY differs from the api's) or is
      // corrupt: a failed attempt like any other, retried on schedule, so fixing the key recovers.
      result = unsent(`not sent: ${(error as Error).message}`);
    }
    const attempt = this.attemptRecord(job, startedAt, target.url, headers, result);
    const done = this.clock.now();
    const next = nextStepAfter(
      { scheduledAttempts: job.scheduledAttempts, manual: job.manual },
      result,
      (made, retryAfterSeconds) =>
        nextRetryDelayMs(this.retryPolicy.current(), made, {
          random: Math.random,
          retryAfterSeconds,
          maxRetryAfterSeconds: this.config.deliveryMaxRetryAfterSeconds,
        }),
    );
    const after: DeliveryJob = {
      ...job,
      attempts: [...job.attempts, attempt],
      scheduledAttempts: job.manual ? job.scheduledAttempts : job.scheduledAttempts + 1,
    };
    this.metrics.attempted(result);
    if (next.status === 'retrying') {
      await this.store.scheduleRetry(after, new Date(done.getTime() + next.delayMs), done);
      this.metrics.retriesScheduled.inc();
    } else {
      await this.store.finish(after, next.status, done);
      this.metrics.finished.inc({ status: next.status });
    }
    await this.updateHealth(job.webhookId, result, done);
  }

  /** The secrets that sign now: the current one, and a rotated-out one during its grace window. */
  private secretsOf(target: WebhookTarget, at: Date): string[] {
    const { current, previous } = this.plaintextsOf(target);
    const previousSigns =
      previous !== null &&
      target.previousSecret !== null &&
      Date.parse(target.previousSecret.validUntil) > at.getTime();
    return previousSigns ? [current, previous] : [current];
  }

  /**
   * Decrypted once per webhook version rather than on every attempt (it showed in the worker's
   * profile); any change to the webhook, a rotation included, bumps the version.
   */
  private plaintextsOf(target: WebhookTarget): { current: string; previous: string | null } {
    const cached = this.plaintexts.get(target.id);
    if (cached?.version === target.version) return cached;
    const fresh = {
      version: target.version,
      current: this.box.decrypt(target.encryptedSecret, target.id),
      previous: target.previousSecret
        ? this.box.decrypt(target.previousSecret.encryptedSecret, target.id)
        : null,
    };
    this.plaintexts.set(target.id, fresh);
    return fresh;
  }

  private attemptRecord(
    job: DeliveryJob,
    at: Date,
    url: string,
    requestHeaders: Record<string, string>,
    result: SendResult,
  ): DeliveryAttempt {
    return {
      number: job.attempts.length + 1,
      at,
      trigger: job.manual ? 'manual' : 'automatic',
      url,
      requestHeaders,
      responseStatus: result.responseStatus,
      responseBody: result.responseBody,
      durationMs: result.durationMs,
      error: result.error,
    };
  }

  /** The webhook is gone or paused: the delivery ends, and the record says why nothing was sent. */
  private async endUnsent(job: DeliveryJob, at: Date, reason: string): Promise<void> {
    const attempt: DeliveryAttempt = {
      number: job.attempts.length + 1,
      at,
      trigger: job.manual ? 'manual' : 'automatic',
      url: '',
      requestHeaders: {},
      responseStatus: null,
      responseBody: null,
      durationMs: 0,
      error: reason,
    };
    await this.store.finish({ ...job, attempts: [...job.attempts, attempt] }, 'failed', at);
    this.metrics.finished.inc({ status: 'failed' });
  }

  private async updateHealth(webhookId: string, result: SendResult, now: Date): Promise<void> {
    switch (result.outcome) {
      case 'succeeded':
        return this.health.succeeded(webhookId);
      case 'gone':
        return this.health.pause(webhookId, 'the endpoint answered 410 Gone');
      case 'failed':
        return this.health.failed(webhookId, result.error ?? 'failed', now);
      default: {
        const unreachable: never = result.outcome;
        throw new Error(`unknown outcome ${String(unreachable)}`);
      }
    }
  }
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
