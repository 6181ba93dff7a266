import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Connection } from 'mongoose';
import { AppConfig } from '@app/config';
import { CLOCK, type Clock } from '@app/event-store';
import { DATABASE_CONNECTION, DRAIN_ORDER, GracefulShutdown } from '@app/platform';
import { SubscriptionIndex } from '@app/webhooks';
import { RetryPolicyFollower } from '@app/retry-policy';
import { BatchInserter, type InsertOutcome } from '../storage/batch-inserter';
import {
  DELIVERIES_COLLECTION,
  DELIVERY_ATTEMPTS_COLLECTION,
  DELIVERY_CLAIMS_COLLECTION,
  DELIVERY_QUEUE_COLLECTION,
  PLATFORM_EVENTS_COLLECTION,
  type DeliveryClaimDocument,
  type DeliveryQueueDocument,
  type PlatformEventDocument,
} from '../storage/delivery.documents';
import { ensureDeliveryIndexes } from '../storage/delivery-indexes';
import type { StoredAttempt } from '../storage/stored-attempt';
import { ALL_EVENTS } from '../storage/delivery-scopes';
import {
  DELIVERY_SLOTS_COLLECTION,
  entriesFor,
  SlotDirectoryWriter,
  type SlotEntry,
} from '../storage/slot-directory';
import type { StoredDelivery } from '../storage/stored-delivery';
import {
  DELIVERY_QUEUE_LANES_COLLECTION,
  DELIVERY_QUEUE_SLOTS_COLLECTION,
  type QueueLaneDocument,
  type QueueSlotDocument,
} from '../storage/queue-layout';
import { fileUnlanedEntries } from '../storage/queue-layout-upgrade';
import { MongoQueueStore, type QueueCollections } from '../storage/queue-store';
import { retryTransient } from '../storage/transient-retry';
import { AttemptConsequences } from './attempt-consequences';
import { AttemptRunner } from './attempt-runner';
import { DeliveryClaims, type ClaimHandle } from './delivery-claims';
import { DeliveryDispatcher } from './delivery-dispatcher';
import { queuedJob, type DeliveryJob } from './delivery-job';
import { DeliveryMetrics } from './delivery-metrics';
import { DeliveryRecorder } from './delivery-recorder';
import { EventBodies } from './event-bodies';
import { QueuePoller } from './queue-poller';
import {
  DELIVERY_RATE_SLOTS_COLLECTION,
  SharedRateLimiter,
  type RateSlotDocument,
} from './shared-rate-limit';

/** A claim lasts this much longer than one attempt may take; then another worker may take it. */
const LEASE_MARGIN_MS = 60_000;

/**
 * The worker's delivery engine: the dispatcher that runs attempts with bounded concurrency, the
 * recorder of their outcomes, and the poller of the delivery queue. Nothing is claimed, sent or
 * judged before the webhook index and the retry policy have caught up with the event log (a
 * restart must not take a webhook it has not read yet for a deleted one).
 *
 * On SIGTERM (GracefulShutdown) it stops polling, gives up what waits in memory (Kafka-fed work
 * stays unrecorded and is read again from its offset; claimed queue work is handed back), lets
 * the attempts in flight finish and be recorded within SHUTDOWN_GRACE_MS, and hands back the
 * claims of any still running at the deadline, so another worker resumes them at once.
 */
@Injectable()
export class DeliveryEngine implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryEngine.name);
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly recorder: DeliveryRecorder;
  private readonly dispatcher: DeliveryDispatcher;
  private readonly claims: DeliveryClaims;
  private readonly poller: QueuePoller;
  private readonly rateLimiter: SharedRateLimiter;
  private readonly eventInserts: BatchInserter<PlatformEventDocument>;
  private readonly directory: SlotDirectoryWriter;
  private readonly stopping = new AbortController();
  private readonly ready: Promise<void>;
  private started = false;
  private readonly connection: Connection;
  private readonly queueCollections: QueueCollections;

  constructor(
    private readonly runner: AttemptRunner,
    consequences: AttemptConsequences,
    @Inject(DATABASE_CONNECTION) connection: Connection,
    private readonly config: AppConfig,
    private readonly index: SubscriptionIndex,
    retryPolicy: RetryPolicyFollower,
    metrics: DeliveryMetrics,
    shutdown: GracefulShutdown,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.connection = connection;
    const signal = this.stopping.signal;
    const events = connection.collection<PlatformEventDocument>(PLATFORM_EVENTS_COLLECTION);
    this.eventInserts = new BatchInserter(events, {
      maxBatch: 200,
      lingerMs: 5,
      maxConcurrentFlushes: 2,
    });
    this.directory = new SlotDirectoryWriter(
      connection.collection<SlotEntry>(DELIVERY_SLOTS_COLLECTION),
    );
    this.claims = new DeliveryClaims(
      connection.collection<DeliveryClaimDocument>(DELIVERY_CLAIMS_COLLECTION),
      this.owner,
      signal,
    );
    this.queueCollections = {
      queue: connection.collection<DeliveryQueueDocument>(DELIVERY_QUEUE_COLLECTION),
      lanes: connection.collection<QueueLaneDocument>(DELIVERY_QUEUE_LANES_COLLECTION),
      slots: connection.collection<QueueSlotDocument>(DELIVERY_QUEUE_SLOTS_COLLECTION),
    };
    this.recorder = new DeliveryRecorder(
      {
        attempts: connection.collection<StoredAttempt>(DELIVERY_ATTEMPTS_COLLECTION),
        ...this.queueCollections,
        deliveries: connection.collection<StoredDelivery>(DELIVERIES_COLLECTION),
      },
      this.claims,
      this.directory,
      signal,
      consequences,
    );
    this.rateLimiter = new SharedRateLimiter(
      connection.collection<RateSlotDocument>(DELIVERY_RATE_SLOTS_COLLECTION),
      this.owner,
      () => this.clock.now().getTime(),
    );
    this.dispatcher = new DeliveryDispatcher(
      {
        concurrency: config.deliveryConcurrency,
        perWebhook: config.deliveryConcurrencyPerEndpoint,
        perHost: config.deliveryConcurrencyPerHost,
        backlogPerWebhook: Math.max(100, config.deliveryConcurrencyPerEndpoint * 10),
      },
      (job, release) => this.runner.run(job, this.recorder, release),
      (job) => this.park(job, metrics),
      (job) => this.hostOf(job.webhookId),
      {
        // The index in memory: a webhook without a cap pays no database round trip.
        limitOf: (webhookId) => this.rateLimitOf(webhookId),
        permits: this.rateLimiter,
        now: () => this.clock.now().getTime(),
      },
    );
    this.poller = new QueuePoller(
      new MongoQueueStore(this.queueCollections),
      this.claims,
      this.dispatcher,
      new EventBodies(events, signal),
      {
        intervalMs: config.deliveryQueuePollIntervalMs,
        leaseMs: config.deliveryTimeoutMs + LEASE_MARGIN_MS,
        hostOf: (webhookId) => this.hostOf(webhookId),
        failWithoutBody: (entry, claim) =>
          this.runner.recordUnsent(
            queuedJob(entry, '', claim),
            this.recorder,
            this.clock.now(),
            'not sent: the event is no longer stored (older than the retention period)',
          ),
        now: () => this.clock.now(),
      },
    );
    this.ready = Promise.all([index.whenReady(), retryPolicy.whenReady()]).then(() => undefined);
    metrics.watchInMemory(() => this.dispatcher.inMemory);
    this.registerDrain(shutdown);
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureDeliveryIndexes(this.connection);
    // Rate slots a crashed worker left (each worker prunes its own as it goes).
    await this.rateLimiter.sweepAll(new Date(this.clock.now().getTime() - 60_000));
    const filed = await fileUnlanedEntries(this.queueCollections);
    if (filed > 0) this.logger.log(`${filed} queue entries from before lanes filed into lanes`);
    // Not awaited: /health answers while the index catches up (and says so).
    void this.ready.then(() => {
      if (this.stopping.signal.aborted) return;
      this.started = true;
      this.poller.start();
      this.logger.log('ready: the webhook index and the retry policy have caught up');
    });
  }

  /** Resolves once deliveries may be made: the index and the retry policy have caught up. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Whether the engine is delivering (caught up, not stopping). */
  get running(): boolean {
    return this.started && !this.stopping.signal.aborted;
  }

  get inMemory(): number {
    return this.dispatcher.inMemory;
  }

  submit(job: DeliveryJob): Promise<void> {
    return this.dispatcher.submit(job);
  }

  completionOf(id: string): Promise<void> | undefined {
    return this.dispatcher.completionOf(id);
  }

  whenRoom(): Promise<void> {
    return this.dispatcher.whenRoom();
  }

  /** Wakes whoever waits for room (memory held elsewhere, by the intake, was freed). */
  notifyRoom(): void {
    this.dispatcher.notifyRoom();
  }

  /** Records a platform event's first sight (batched): `duplicate` when its id was seen before. */
  async recordEvent(document: PlatformEventDocument): Promise<InsertOutcome> {
    // Listed first (for retention), written next.
    await this.directory.register(entriesFor([ALL_EVENTS], document.receivedAt));
    return this.eventInserts.insert(document);
  }

  recordedEvent(id: string): Promise<PlatformEventDocument | null> {
    const events = this.connection.collection<PlatformEventDocument>(PLATFORM_EVENTS_COLLECTION);
    return retryTransient(() => events.findOne({ _id: id }, { projection: { body: 0 } }), {
      what: `reading event ${id}`,
      signal: this.stopping.signal,
    });
  }

  /**
   * Finishes the delivery `job` of an event seen before, if it was recorded: true when it was (its
   * summary is written, or its first attempt is, whose follow-up is then written again, as a crash
   * may have cut it short), false when nothing of it was recorded and it is still to be made.
   */
  async finishRecordedDelivery(job: DeliveryJob): Promise<boolean> {
    if (await this.recorder.summaryOf(job.id)) return true;
    const firstAttempt = await this.recorder.recorded(job.id, 1);
    if (!firstAttempt) return false;
    await this.recorder.follow(job, firstAttempt);
    return true;
  }

  async onApplicationShutdown(): Promise<void> {
    // After the drain (or without one, in tests): stop whatever still retries.
    this.stopping.abort();
    await this.poller.stop();
    this.dispatcher.stop();
    this.rateLimiter.stop();
    this.eventInserts.stop();
    this.recorder.stop();
    this.claims.stop();
  }

  private registerDrain(shutdown: GracefulShutdown): void {
    const handedBack = new Set<string>();
    const handBack = async (jobs: DeliveryJob[]) => {
      const claims: ClaimHandle[] = [];
      for (const job of jobs) {
        if (job.origin.kind === 'queue' && !handedBack.has(job.origin.claim.id)) {
          handedBack.add(job.origin.claim.id);
          claims.push(job.origin.claim);
        }
      }
      await Promise.all(claims.map((claim) => this.claims.release(claim).catch(() => undefined)));
      return claims.length;
    };
    shutdown.register({
      name: 'deliveries: stop polling the queue',
      order: DRAIN_ORDER.stopIntake,
      run: () => this.poller.stop(),
    });
    shutdown.register({
      name: 'deliveries: finish the attempts in flight',
      order: DRAIN_ORDER.finishInFlight,
      run: async (deadline) => {
        const given = await handBack(this.dispatcher.stop());
        const idle = await this.dispatcher.whenIdle(deadline);
        this.logger.log(
          `${given} waiting queued attempts handed back; in flight ${idle ? 'all recorded' : `${this.dispatcher.inFlight} still running at the deadline`}`,
        );
      },
    });
    shutdown.register({
      name: 'deliveries: flush records',
      order: DRAIN_ORDER.persist,
      run: () => this.recorder.flush(),
    });
    shutdown.register({
      name: 'deliveries: hand back the claims still held',
      order: DRAIN_ORDER.handBack,
      run: async () => {
        const given = await handBack(this.dispatcher.runningJobs());
        if (given > 0) this.logger.warn(`${given} attempts still running were handed back`);
      },
    });
  }

  private async park(job: DeliveryJob, metrics: DeliveryMetrics): Promise<void> {
    if (job.origin.kind === 'queue') {
      // Already in the queue: let it go, the next poll takes it when there is room.
      await this.claims.release(job.origin.claim);
      return;
    }
    metrics.parked.inc();
    const now = this.clock.now();
    // Due a little ahead: its webhook's line is full now, so taking it back at once is futile.
    const dueAt = new Date(now.getTime() + Math.max(1000, this.config.deliveryQueuePollIntervalMs));
    await this.recorder.park(job, dueAt, now);
  }

  private rateLimitOf(webhookId: string): number | null {
    const found = this.index.lookup(webhookId);
    return 'target' in found ? found.target.rateLimitPerSecond : null;
  }

  private hostOf(webhookId: string): string {
    const found = this.index.lookup(webhookId);
    if (!('target' in found)) return '';
    try {
      return new URL(found.target.url).hostname.toLowerCase();
    } catch {
      return '';
    }
  }
}
