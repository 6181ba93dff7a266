import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { AppConfig } from '@app/config';
import { DATABASE_CONNECTION } from '@app/platform';
import { PlatformEventNotPublishedError, PlatformEventPublisher } from '@app/platform-events';
import { PauseWebhookCommand, type PauseKind, type PauseOutcome } from '@app/webhooks';
import { webhookPausedEvent } from '../domain/operational-events';
import { DeliveryMetrics } from './delivery-metrics';
import {
  ENDPOINT_FAILURES_COLLECTION,
  type EndpointFailureDocument,
} from '../storage/delivery.documents';

/** Who the webhook's history names as having paused it. */
export const DELIVERY_WORKER_ACTOR = 'system:delivery-worker';

/** How long this worker trusts what it knows of an endpoint before looking at the shared record. */
const TRUSTED_FOR_MS = 30_000;
/** The shared record's last failure time is moved at most this often (it is only a staleness mark). */
const LAST_FAILURE_EVERY_MS = 60_000;

interface Known {
  /** null: healthy as far as this worker knows. */
  failingSince: Date | null;
  lastFailureWritten: Date | null;
  /** When this worker last read or wrote the shared record. */
  checkedAt: Date;
}

/**
 * Which webhooks have failed every attempt, and since when, shared by every worker through
 * `endpoint_failures` (one document per failing webhook): a success on any worker ends the streak
 * for all, and a webhook is paused, through its own command (reason `automatic`, with the
 * detail), once its every attempt has failed for DELIVERY_DISABLE_AFTER_HOURS, or at once when
 * its endpoint answers 410 Gone.
 *
 * A pause is announced (`webhook.paused`, published as a platform event) and counted
 * (`webhooks_paused_total{kind}`).
 *
 * Cheap on the hot path: what a worker knows is trusted for a short while, so a healthy endpoint
 * costs about one write per webhook per half minute, and a failing one a read as often. Before
 * pausing, the shared record is read again, so a success elsewhere is never overlooked. A streak
 * with no failed attempt for DELIVERY_DISABLE_AFTER_HOURS is forgotten: an endpoint nobody sent to
 * for that long is not known to be failing. Never throws, but for a pause announcement the worker
 * stopped before it went out: health is advice, the deliveries' records do not wait for it.
 */
@Injectable()
export class EndpointHealth {
  private readonly logger = new Logger(EndpointHealth.name);
  private readonly failures: Collection<EndpointFailureDocument>;
  private readonly known = new Map<string, Known>();
  private readonly pausing = new Set<string>();

  constructor(
    @Inject(DATABASE_CONNECTION) connection: Connection,
    private readonly commands: CommandBus,
    private readonly config: AppConfig,
    private readonly events: PlatformEventPublisher,
    private readonly metrics: DeliveryMetrics,
  ) {
    this.failures = connection.collection<EndpointFailureDocument>(ENDPOINT_FAILURES_COLLECTION);
  }

  async succeeded(webhookId: string, now: Date): Promise<void> {
    const known = this.known.get(webhookId);
    if (known && known.failingSince === null && !this.expired(known, now)) return;
    this.known.set(webhookId, { failingSince: null, lastFailureWritten: null, checkedAt: now });
    await this.quietly(`clearing the failures of ${webhookId}`, () =>
      this.failures.deleteOne({ _id: webhookId }),
    );
  }

  async failed(webhookId: string, error: string, now: Date): Promise<void> {
    await this.quietly(`recording a failure of ${webhookId}`, async () => {
      let known = this.known.get(webhookId);
      if (!known || known.failingSince === null || this.expired(known, now)) {
        known = await this.loadOrStart(webhookId, error, now);
      }
      if (now.getTime() - (known.lastFailureWritten?.getTime() ?? 0) >= LAST_FAILURE_EVERY_MS) {
        // Last writer wins, which is right for a "still failing at" mark.
        await this.failures.updateOne(
          { _id: webhookId },
          { $set: { lastFailureAt: now, lastError: error } },
        );
        known.lastFailureWritten = now;
      }
      const since = known.failingSince as Date;
      if (now.getTime() - since.getTime() < this.limitMs) return;
      // Confirm against the shared record: a success on another worker may have ended it.
      const shared = await this.failures.findOne({ _id: webhookId });
      if (!shared || now.getTime() - shared.failingSince.getTime() < this.limitMs) {
        this.known.delete(webhookId);
        return;
      }
      await this.pause(
        webhookId,
        'failing',
        `every delivery attempt failed since ${shared.failingSince.toISOString()} (last: ${error})`,
      );
    });
  }

  /**
   * Takes the webhook out of service; its history records why, and `webhook.paused` announces it.
   * At most one at a time per webhook.
   *
   * In this order: the pause (the record), the announcement, then forgetting the streak. The
   * caller runs this before the attempt's follow-up is complete (DeliveryRecorder.follow), so a
   * crash anywhere here has the step done again: the pause is found made (the command answers it
   * again), and announced again under the same id, which the intake takes as a repeat. Rejects
   * only when the worker stops before the announcement is out (PlatformEventNotPublishedError),
   * which leaves that step unfinished.
   */
  async pause(webhookId: string, kind: PauseKind, detail: string): Promise<void> {
    if (this.pausing.has(webhookId)) return;
    this.pausing.add(webhookId);
    try {
      const causation = randomUUID();
      const { changed, pause } = await this.commands.execute<PauseWebhookCommand, PauseOutcome>(
        new PauseWebhookCommand(webhookId, kind, detail, {
          actor: DELIVERY_WORKER_ACTOR,
          correlationId: causation,
          causationId: causation,
        }),
      );
      if (changed) {
        this.metrics.paused.inc({ kind });
        this.logger.warn(`paused webhook ${webhookId}: ${detail}`);
      }
      if (pause) await this.events.publish(webhookPausedEvent(pause));
      this.known.delete(webhookId);
      await this.failures.deleteOne({ _id: webhookId });
    } catch (error) {
      if (error instanceof PlatformEventNotPublishedError) throw error;
      this.logger.error(`could not pause webhook ${webhookId}: ${(error as Error).message}`);
    } finally {
      this.pausing.delete(webhookId);
    }
  }

  private get limitMs(): number {
    return this.config.deliveryDisableAfterHours * 3_600_000;
  }

  private expired(known: Known, now: Date): boolean {
    return now.getTime() - known.checkedAt.getTime() >= TRUSTED_FOR_MS;
  }

  /** The shared streak, started now when there is none (or only a forgotten one). */
  private async loadOrStart(webhookId: string, error: string, now: Date): Promise<Known> {
    const shared = await this.failures.findOne({ _id: webhookId });
    if (shared && now.getTime() - shared.lastFailureAt.getTime() <= this.limitMs) {
      const known = { failingSince: shared.failingSince, lastFailureWritten: null, checkedAt: now };
      this.known.set(webhookId, known);
      return known;
    }
    if (shared)
      await this.failures.deleteOne({ _id: webhookId, failingSince: shared.failingSince });
    const started = { _id: webhookId, failingSince: now, lastFailureAt: now, lastError: error };
    const inserted = await this.failures
      .insertOne(started)
      .then(() => true)
      .catch(() => false);
    // Another worker started it first: its time counts.
    const since = inserted
      ? now
      : ((await this.failures.findOne({ _id: webhookId }))?.failingSince ?? now);
    const known = { failingSince: since, lastFailureWritten: now, checkedAt: now };
    this.known.set(webhookId, known);
    return known;
  }

  private async quietly(what: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      // Not advice: an announced pause that could not go out must leave its step unfinished.
      if (error instanceof PlatformEventNotPublishedError) throw error;
      this.logger.warn(`${what} failed: ${(error as Error).message}`);
    }
  }
}
