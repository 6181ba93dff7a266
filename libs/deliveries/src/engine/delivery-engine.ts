import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AppConfig } from '@app/config';
import { CLOCK, type Clock } from '@app/event-store';
import { DeliveryDispatcher } from './delivery-dispatcher';
import { DeliveryMetrics } from './delivery-metrics';
import { queuedJob } from './delivery-job';
import { DeliverySaga } from './delivery-saga';
import { DeliveryStore } from './delivery.store';

/** How many due entries one poll claims at most. */
const CLAIM_BATCH = 100;
/** A claim lasts this much longer than one attempt may take; then another worker may take it. */
const LEASE_MARGIN_MS = 60_000;

/**
 * The worker's delivery engine: the dispatcher that runs attempts with bounded concurrency, and the
 * poller that claims due entries of the delivery queue (retries, parked deliveries, admins' manual
 * sends) whenever the dispatcher has free slots.
 */
@Injectable()
export class DeliveryEngine implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryEngine.name);
  readonly dispatcher: DeliveryDispatcher;
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private stopped = false;

  constructor(
    saga: DeliverySaga,
    private readonly store: DeliveryStore,
    private readonly config: AppConfig,
    metrics: DeliveryMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const concurrency = config.deliveryConcurrency;
    this.dispatcher = new DeliveryDispatcher(
      {
        concurrency,
        perEndpoint: config.deliveryConcurrencyPerEndpoint,
        backlogPerEndpoint: Math.max(100, config.deliveryConcurrencyPerEndpoint * 10),
        maxInMemory: concurrency * 20,
      },
      (job) => saga.attempt(job),
      // Parked a little ahead: its endpoint's line is full now, so taking it back at once is futile.
      (job) => {
        metrics.parked.inc();
        const now = this.clock.now();
        const dueAt = new Date(now.getTime() + Math.max(1000, config.deliveryQueuePollIntervalMs));
        return this.store.park(job, dueAt, now);
      },
    );
    metrics.watchInMemory(() => this.dispatcher.inMemory);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.store.ensureIndexes();
    this.timer = setInterval(() => void this.poll(), this.config.deliveryQueuePollIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.polling;
  }

  /** Claims and starts due queue entries, as many as there are free slots. One poll at a time. */
  poll(): Promise<void> {
    this.polling ??= this.pollNow()
      .catch((error: Error) => this.logger.warn(`delivery queue poll failed: ${error.message}`))
      .finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async pollNow(): Promise<void> {
    while (!this.stopped) {
      const slots = Math.min(CLAIM_BATCH, this.dispatcher.freeSlots);
      if (slots === 0) return;
      const now = this.clock.now();
      const leaseUntil = new Date(now.getTime() + this.config.deliveryTimeoutMs + LEASE_MARGIN_MS);
      const claimed = await this.store.claimDue(slots, this.owner, now, leaseUntil);
      for (const entry of claimed) void this.dispatcher.submit(queuedJob(entry));
      if (claimed.length < slots) return;
    }
  }
}
