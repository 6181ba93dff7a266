import { Logger } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { DeliveryQueueDocument } from '../storage/delivery.documents';
import { WebhookNotKnownYetError } from './attempt-runner';
import type { ClaimOutcome, DeliveryClaims } from './delivery-claims';
import { DispatchStoppedError, type DeliveryDispatcher } from './delivery-dispatcher';
import { queuedJob, type DeliveryJob } from './delivery-job';
import type { EventBodies } from './event-bodies';

/** Due entries looked at per poll at most (FerretDB decodes every one it returns). */
const SCAN_LIMIT = 2_000;
/** An entry that could not be taken now (claimed elsewhere, webhook not known yet) waits this long. */
const RETRY_LATER_MS = 5_000;

export interface QueuePollerOptions {
  intervalMs: number;
  /** How long a claim holds: one attempt's timeout and a margin. */
  leaseMs: number;
  /** The receiving host of a webhook, for the per-host limit ('' when unknown). */
  hostOf: (webhookId: string) => string;
  /** A queued delivery whose event's body is no longer stored: it can only end, failed. */
  failWithoutBody: (entry: DeliveryQueueDocument, claim: ClaimOutcome['claim']) => Promise<void>;
  now: () => Date;
}

/**
 * Takes due work from the delivery queue (retries, parked deliveries, admins' manual sends) as the
 * dispatcher has room for it, fairly: requested sends first, then the due entries spread over their
 * webhooks, each webhook (and receiving host) taking no more than its free slots, so one endpoint's
 * backlog of retries cannot crowd out the others. Each attempt is claimed (DeliveryClaims) before
 * it is made; what cannot be taken now is left in the queue for the next poll.
 */
export class QueuePoller {
  private readonly logger = new Logger(QueuePoller.name);
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private stopped = true;
  /** Attempts to leave alone for a while, by claim key. */
  private readonly later = new Map<string, number>();

  constructor(
    private readonly queue: Collection<DeliveryQueueDocument>,
    private readonly claims: DeliveryClaims,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly bodies: EventBodies,
    private readonly options: QueuePollerOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => void this.poll(), this.options.intervalMs);
    void this.poll();
  }

  /** Stops polling; resolves once a poll under way has handed what it claimed to the dispatcher. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.polling;
  }

  /** One poll at a time; a poll that filled every free slot looks again at once. */
  poll(): Promise<void> {
    this.polling ??= this.pollUntilFull()
      .catch((error: Error) => this.logger.warn(`delivery queue poll failed: ${error.message}`))
      .finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async pollUntilFull(): Promise<void> {
    while (!this.stopped && this.dispatcher.freeSlots > 0) {
      const taken = await this.pollOnce();
      if (taken === 0) return;
    }
  }

  private async pollOnce(): Promise<number> {
    const now = this.options.now();
    this.forgetPast(now.getTime());
    const due = await this.dueEntries(now);
    const picked = this.pickFairly(due);
    if (picked.length === 0) return 0;
    const leaseUntil = new Date(now.getTime() + this.options.leaseMs);
    const won = await this.claims.claim(picked, now, leaseUntil);
    const wonKeys = new Set(won.map((outcome) => outcome.claim.key));
    for (const entry of picked) {
      const key = `${entry.deliveryId}:${entry.attempt}`;
      if (!wonKeys.has(key)) this.later.set(key, now.getTime() + RETRY_LATER_MS);
    }
    await Promise.all(won.map((outcome) => this.dispatch(outcome)));
    return won.length;
  }

  /** Requested sends first (a small set FerretDB finds by equality), then any due entry. */
  private async dueEntries(now: Date): Promise<DeliveryQueueDocument[]> {
    const requested = await this.queue
      .find({ trigger: 'manual', dueAt: { $lte: now } })
      .limit(SCAN_LIMIT)
      .toArray();
    const scheduled = await this.queue
      .find({ dueAt: { $lte: now } })
      .limit(SCAN_LIMIT)
      .toArray();
    return [...requested, ...scheduled];
  }

  /** Round-robin over webhooks, each up to its free slots, all up to the dispatcher's. */
  private pickFairly(due: DeliveryQueueDocument[]): DeliveryQueueDocument[] {
    const byWebhook = new Map<string, DeliveryQueueDocument[]>();
    const seen = new Set<string>();
    for (const entry of due) {
      const key = `${entry.deliveryId}:${entry.attempt}`;
      if (seen.has(key) || this.later.has(key) || this.dispatcher.holds(entry.deliveryId)) continue;
      seen.add(key);
      const line = byWebhook.get(entry.webhookId) ?? [];
      line.push(entry);
      byWebhook.set(entry.webhookId, line);
    }
    const room = new Map<string, number>();
    for (const webhookId of byWebhook.keys()) {
      room.set(webhookId, this.dispatcher.freeSlotsFor(webhookId, this.options.hostOf(webhookId)));
    }
    const picked: DeliveryQueueDocument[] = [];
    let total = this.dispatcher.freeSlots;
    let progressed = true;
    while (total > 0 && progressed) {
      progressed = false;
      for (const [webhookId, line] of byWebhook) {
        if (total === 0) break;
        const left = room.get(webhookId) ?? 0;
        if (left === 0 || line.length === 0) continue;
        picked.push(line.shift() as DeliveryQueueDocument);
        room.set(webhookId, left - 1);
        total--;
        progressed = true;
      }
    }
    return picked;
  }

  private async dispatch({ entry, claim }: ClaimOutcome): Promise<void> {
    const body = await this.bodies.bodyOf(entry.eventId);
    if (body === null) return this.options.failWithoutBody(entry, claim);
    const job = queuedJob(entry, body, claim);
    void this.dispatcher.submit(job).catch((error: Error) => this.notTaken(job, error));
  }

  /** The claimed attempt was not made: hand it back so it is tried again (here or elsewhere). */
  private async notTaken(job: DeliveryJob, error: Error): Promise<void> {
    if (job.origin.kind !== 'queue') return;
    if (error instanceof WebhookNotKnownYetError) {
      this.later.set(job.origin.claim.key, Date.now() + RETRY_LATER_MS);
    } else if (!(error instanceof DispatchStoppedError)) {
      this.logger.warn(`attempt ${job.origin.claim.key} not recorded: ${error.message}`);
    }
    await this.claims
      .release(job.origin.claim)
      .catch((failure: Error) => this.logger.warn(`release failed: ${failure.message}`));
  }

  private forgetPast(now: number): void {
    for (const [key, until] of this.later) if (until <= now) this.later.delete(key);
  }
}
