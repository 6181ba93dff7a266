import { setTimeout as delay } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { AppConfig } from '@app/config';
import { CLOCK, Lease, MongoLeaseStore, type Clock } from '@app/event-store';
import { DATABASE_CONNECTION, DRAIN_ORDER, GracefulShutdown } from '@app/platform';
import {
  DELIVERIES_COLLECTION,
  DELIVERY_ATTEMPTS_COLLECTION,
  PLATFORM_EVENTS_COLLECTION,
} from '../storage/delivery.documents';
import { RetentionMetrics } from './retention-metrics';
import { ALL_DELIVERIES, ALL_EVENTS, FINISHED_STATUSES } from '../storage/delivery-scopes';
import { DELIVERY_SLOTS_COLLECTION, type SlotEntry } from '../storage/slot-directory';
import { pruneSlots, type PruneControl, type PrunePlan, type PrunableRecord } from './slot-pruner';

const DAY_MS = 86_400_000;
/** How often a pass runs (the first shortly after start). */
const PASS_INTERVAL_MS = 10 * 60_000;
const FIRST_PASS_AFTER_MS = 30_000;
/** The least rest between steps, so a pass never takes the database from the deliveries going on. */
const STEP_PAUSE_MS = 20;
const LEASE_NAME = 'delivery-pruner';

/**
 * Retention: deletes finished deliveries, their attempts, and the platform events kept for
 * deduplication once they are DELIVERY_RETENTION_DAYS old, in the background, in bounded steps
 * (slot-pruner.ts). One worker prunes at a time (a lease); a stopping worker ends its pass after
 * the step under way. A delivery still unfinished at the cutoff keeps its summary until it ends
 * (its older attempts and its event go, and a later attempt of it ends failed for want of a body).
 */
@Injectable()
export class DeliveryPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryPruner.name);
  private readonly lease: Lease;
  private readonly collections: Record<PrunedCollection, Collection<PrunableRecord>>;
  private readonly slots: Collection<SlotEntry>;
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private stopping = false;

  constructor(
    @Inject(DATABASE_CONNECTION) connection: Connection,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: RetentionMetrics,
    shutdown: GracefulShutdown,
  ) {
    this.lease = new Lease(new MongoLeaseStore(connection), LEASE_NAME, { ttlMs: 60_000, clock });
    this.collections = {
      deliveries: connection.collection<PrunableRecord>(DELIVERIES_COLLECTION),
      attempts: connection.collection<PrunableRecord>(DELIVERY_ATTEMPTS_COLLECTION),
      events: connection.collection<PrunableRecord>(PLATFORM_EVENTS_COLLECTION),
    };
    this.slots = connection.collection<SlotEntry>(DELIVERY_SLOTS_COLLECTION);
    shutdown.register({
      name: 'retention: end the pruning pass',
      order: DRAIN_ORDER.stopIntake,
      run: () => this.stop(),
    });
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.schedule(), FIRST_PASS_AFTER_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.pass;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** One pass now (if this process gets the lease); resolves with what it deleted. */
  async runPass(): Promise<{ deleted: number } | null> {
    if (this.stopping || !(await this.lease.acquire())) return null;
    this.lease.keep(() => this.logger.warn('another worker took over pruning'));
    const beforeMs = this.clock.now().getTime() - this.config.deliveryRetentionDays * DAY_MS;
    const control: PruneControl = {
      mayGoOn: () => !this.stopping && this.lease.isHeld(5_000),
      // At least as long as the step took: pruning holds the database at most half the time.
      pause: (stepMs) => delay(Math.max(STEP_PAUSE_MS, stepMs)),
      // Counted step by step: a pass over a large backlog takes minutes, and the metric shows it.
      deleted: (count) => this.metrics.pruned.inc(count),
    };
    const started = Date.now();
    let deleted = 0;
    try {
      for (const plan of this.plans(beforeMs)) {
        deleted += await pruneSlots(this.slots, plan, control);
        if (!control.mayGoOn()) break;
      }
    } finally {
      // Held for one pass only: the next may fall to any worker.
      await this.lease.release().catch(() => undefined);
    }
    if (deleted > 0) {
      this.logger.log(
        `pruned ${deleted} records older than ${new Date(beforeMs).toISOString()} in ${Date.now() - started} ms`,
      );
    }
    return { deleted };
  }

  /**
   * The events first (their own directory scope), then the deliveries with their attempts: an
   * emptied delivery slot loses every scope's entries, the events' included.
   */
  private plans(beforeMs: number): PrunePlan[] {
    const { deliveries, attempts, events } = this.collections;
    return [
      {
        scope: ALL_EVENTS,
        targets: [{ collection: events, filter: {} }],
        entries: 'own-scope',
        beforeMs,
      },
      {
        scope: ALL_DELIVERIES,
        targets: [
          ...FINISHED_STATUSES.map((status) => ({ collection: deliveries, filter: { status } })),
          { collection: attempts, filter: {} },
        ],
        keeper: deliveries,
        entries: 'every-scope',
        beforeMs,
      },
    ];
  }

  private schedule(): void {
    if (this.stopping) return;
    this.pass = this.runPass()
      .then(() => undefined)
      .catch((error: Error) => this.logger.warn(`pruning pass failed: ${error.message}`))
      .finally(() => {
        this.pass = undefined;
        if (this.stopping) return;
        this.timer = setTimeout(() => this.schedule(), PASS_INTERVAL_MS);
        this.timer.unref();
      });
  }
}

type PrunedCollection = 'deliveries' | 'attempts' | 'events';
