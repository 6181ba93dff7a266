import { Logger } from '@nestjs/common';
import type { DeliveryQueueDocument } from '../storage/delivery.documents';
import { MANUAL_SLOT, SLOT_MS, slotStartOf, type QueueLaneDocument } from '../storage/queue-layout';
import type { QueueStore } from '../storage/queue-store';
import { WebhookNotKnownYetError } from './attempt-runner';
import type { ClaimOutcome, DeliveryClaims } from './delivery-claims';
import { DispatchStoppedError, type DeliveryDispatcher } from './delivery-dispatcher';
import { queuedJob, type DeliveryJob } from './delivery-job';
import type { EventBodies } from './event-bodies';
import { LaneDirectory, type KnownLane } from './lane-directory';
import { SlotBudget, type UnrecordedAttempts } from './slot-budget';

/** An entry that could not be taken now (claimed elsewhere, webhook not known yet) waits this long. */
const RETRY_LATER_MS = 5_000;
/** After an attempt from the queue ends, the next poll comes this soon (so caps, not the interval, set the pace). */
const WAKE_AFTER_MS = 20;
/**
 * Requested sends are looked for this often (at most), apart from the polls: one index-served read
 * that is almost always empty, so a send someone asked for waits neither for the poll interval nor
 * for a poll busy with a backlog.
 */
const REQUESTED_EVERY_MS = 250;

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
 * dispatcher has room for it, reading only what it can take: the queue is laid out in lanes per
 * webhook (queue-layout.ts), so a poll reads the requested lanes first, then each webhook's oldest
 * due lanes, each webhook no more entries than its free slots. A webhook at its limit (a dead
 * endpoint's backlog) costs no read at all, and one not known yet is left alone for a while.
 * Each attempt is claimed (DeliveryClaims) before it is made; what cannot be taken now is left in
 * the queue and passed over for a while.
 */
export class QueuePoller {
  private readonly logger = new Logger(QueuePoller.name);
  private readonly directory: LaneDirectory;
  private timer?: NodeJS.Timeout;
  private requestedTimer?: NodeJS.Timeout;
  private wake?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private lookingForRequested?: Promise<void>;
  /** Attempts picked and being claimed now (by a poll or a look for requested sends), by key. */
  private readonly claiming = new Set<string>();
  private stopped = true;
  /** Entries to pass over for a while (claimed elsewhere, held here), by entry id. */
  private readonly later = new Map<string, { until: number; lane: string }>();
  /** How many of those each lane has. */
  private readonly laterByLane = new Map<string, number>();
  /** Attempts dispatched from the queue and not settled (recorded), by claim key. */
  private readonly inFlight = new Map<string, { lane: string; webhookId: string }>();
  /** How many of those each lane has: a read of the lane asks for that many more. */
  private readonly inFlightByLane = new Map<string, number>();
  /** How many of those each webhook has: its scheduled attempts are held to its limit. */
  private readonly inFlightByWebhook = new Map<string, number>();
  /** Webhooks not known to this worker's index yet: not read until then. */
  private readonly resting = new Map<string, number>();
  /** Rotates which webhook goes first when there are fewer free slots than webhooks. */
  private turn = 0;

  constructor(
    private readonly store: QueueStore,
    private readonly claims: Pick<DeliveryClaims, 'claim' | 'release'>,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly bodies: Pick<EventBodies, 'bodyOf'>,
    private readonly options: QueuePollerOptions,
  ) {
    this.directory = new LaneDirectory(store, options.intervalMs);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => void this.poll(), this.options.intervalMs);
    this.requestedTimer = setInterval(
      () => void this.lookForRequested(),
      Math.min(REQUESTED_EVERY_MS, this.options.intervalMs),
    );
    void this.poll();
  }

  /** Stops polling; resolves once a poll under way has handed what it claimed to the dispatcher. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.requestedTimer);
    clearTimeout(this.wake);
    await Promise.all([this.polling, this.lookingForRequested]);
  }

  /** One poll at a time; a poll that took something looks again at once. */
  poll(): Promise<void> {
    this.polling ??= this.pollUntilFull()
      .catch((error: Error) => this.logger.warn(`delivery queue poll failed: ${error.message}`))
      .finally(() => (this.polling = undefined));
    return this.polling;
  }

  /** Takes requested sends only (between polls); one look at a time. */
  lookForRequested(): Promise<void> {
    this.lookingForRequested ??= this.takeRequested()
      .catch((error: Error) =>
        this.logger.warn(`looking for requested sends failed: ${error.message}`),
      )
      .finally(() => (this.lookingForRequested = undefined));
    return this.lookingForRequested;
  }

  private async takeRequested(): Promise<void> {
    if (this.stopped || this.dispatcher.freeSlots === 0) return;
    const now = this.options.now();
    const lanes = await this.directory.manualLanes();
    if (lanes.length === 0) return;
    const budget = this.budget();
    const seen = new Set<string>();
    const picked = await this.takeManual(lanes, budget, seen, now);
    await this.claimAndDispatch(picked, now);
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
    const [manual] = await Promise.all([
      this.directory.manualLanes(),
      this.directory.refresh(now.getTime()),
    ]);
    const budget = this.budget();
    const seen = new Set<string>();
    // Requested sends first: every manual lane gets its share before any scheduled one.
    const picked = await this.takeManual(manual, budget, seen, now);
    picked.push(...(await this.takeScheduled(budget, seen, now)));
    return this.claimAndDispatch(picked, now);
  }

  private async takeManual(
    lanes: QueueLaneDocument[],
    budget: SlotBudget,
    seen: Set<string>,
    now: Date,
  ): Promise<DeliveryQueueDocument[]> {
    const taken = await Promise.all(
      lanes
        .filter((lane) => !this.isResting(lane.webhookId, now))
        .map((lane) => this.takeFromLanes([lane], budget, seen, now, true)),
    );
    return taken.flat();
  }

  /** Claims what was picked and hands what it won to the dispatcher; returns how many. */
  private async claimAndDispatch(picked: DeliveryQueueDocument[], now: Date): Promise<number> {
    if (picked.length === 0) return 0;
    const keys = picked.map(keyOf);
    for (const key of keys) this.claiming.add(key);
    try {
      const leaseUntil = new Date(now.getTime() + this.options.leaseMs);
      const won = await this.claims.claim(picked, now, leaseUntil);
      const wonKeys = new Set(won.map((outcome) => outcome.claim.key));
      for (const entry of picked) {
        if (!wonKeys.has(keyOf(entry))) this.passOver(entry, now);
      }
      await Promise.all(won.map((outcome) => this.dispatch(outcome)));
      return won.length;
    } finally {
      for (const key of keys) this.claiming.delete(key);
    }
  }

  /** Due lanes by webhook, in turns: each webhook gets up to its free slots, oldest lanes first. */
  private async takeScheduled(
    budget: SlotBudget,
    seen: Set<string>,
    now: Date,
  ): Promise<DeliveryQueueDocument[]> {
    const due = [...this.directory.dueByWebhook(now.getTime())].filter(
      ([webhookId]) => !this.isResting(webhookId, now),
    );
    if (due.length === 0) return [];
    const first = this.turn++ % due.length;
    const inTurn = [...due.slice(first), ...due.slice(0, first)];
    const taken = await Promise.all(
      inTurn.map(([, lanes]) => this.takeFromLanes(lanes.map(laneDocument), budget, seen, now)),
    );
    return taken.flat();
  }

  /**
   * Up to the webhook's share of the budget from its lanes, in order: reads each lane for what is
   * still wanted (plus what it will pass over), forgets a lane that is over and read empty.
   */
  private async takeFromLanes(
    lanes: QueueLaneDocument[],
    budget: SlotBudget,
    seen: Set<string>,
    now: Date,
    requested = false,
  ): Promise<DeliveryQueueDocument[]> {
    if (lanes.length === 0) return [];
    const webhookId = lanes[0].webhookId;
    let wanted = budget.allot(webhookId, requested);
    const taken: DeliveryQueueDocument[] = [];
    for (const lane of lanes) {
      if (wanted === 0) break;
      const start = lane.slot === MANUAL_SLOT ? null : slotStartOf(lane.slot);
      // The minute under way holds entries due later in it; older lanes are wholly due.
      const underWay = start !== null && start + SLOT_MS > now.getTime();
      const entries = await this.store.entries(
        lane._id,
        wanted + this.passedOverIn(lane._id),
        underWay ? now : undefined,
      );
      if (entries.length === 0 && !underWay) this.directory.empty(lane, now.getTime());
      for (const entry of entries) {
        if (wanted === 0) break;
        if (!this.takable(entry, seen, now)) continue;
        seen.add(keyOf(entry));
        taken.push(entry);
        wanted--;
      }
    }
    budget.giveBack(webhookId, wanted);
    return taken;
  }

  private takable(entry: DeliveryQueueDocument, seen: Set<string>, now: Date): boolean {
    const key = keyOf(entry);
    if (this.later.has(entry._id) || this.inFlight.has(key) || seen.has(key)) return false;
    if (this.claiming.has(key)) return false;
    if (this.dispatcher.holds(entry.deliveryId)) {
      // Its delivery is under way here (from Kafka, or the attempt's other entry).
      this.passOver(entry, now);
      return false;
    }
    return true;
  }

  private async dispatch({ entry, claim }: ClaimOutcome): Promise<void> {
    const body = await this.bodies.bodyOf(entry.eventId);
    if (body === null) return this.options.failWithoutBody(entry, claim);
    const job = queuedJob(entry, body, claim);
    this.track(claim.key, entry);
    void this.dispatcher
      .submit(job)
      .catch((error: Error) => this.notTaken(job, error))
      .finally(() => this.settled(claim.key));
  }

  /** The claimed attempt was not made: hand it back so it is tried again (here or elsewhere). */
  private async notTaken(job: DeliveryJob, error: Error): Promise<void> {
    if (job.origin.kind !== 'queue') return;
    if (error instanceof WebhookNotKnownYetError) {
      this.resting.set(job.webhookId, this.options.now().getTime() + RETRY_LATER_MS);
    } else if (!(error instanceof DispatchStoppedError)) {
      this.logger.warn(`attempt ${job.origin.claim.key} not recorded: ${error.message}`);
    }
    await this.claims
      .release(job.origin.claim)
      .catch((failure: Error) => this.logger.warn(`release failed: ${failure.message}`));
  }

  /** A poll's share of the dispatcher's room, scheduled attempts held to what is recorded. */
  private budget(): SlotBudget {
    const { perWebhook, concurrency } = this.dispatcher.limits;
    const unrecorded: UnrecordedAttempts = {
      total: this.inFlight.size,
      of: (webhookId) => this.inFlightByWebhook.get(webhookId) ?? 0,
      perWebhook,
      overall: concurrency,
    };
    return new SlotBudget(this.dispatcher, this.options.hostOf, unrecorded);
  }

  private track(key: string, { lane, webhookId }: DeliveryQueueDocument): void {
    this.inFlight.set(key, { lane, webhookId });
    count(this.inFlightByLane, lane, 1);
    count(this.inFlightByWebhook, webhookId, 1);
  }

  /** An attempt from the queue is over (recorded or handed back): there is room for the next. */
  private settled(key: string): void {
    const held = this.inFlight.get(key);
    if (held === undefined) return;
    this.inFlight.delete(key);
    count(this.inFlightByLane, held.lane, -1);
    count(this.inFlightByWebhook, held.webhookId, -1);
    if (this.stopped || this.wake) return;
    this.wake = setTimeout(() => {
      this.wake = undefined;
      void this.poll();
    }, WAKE_AFTER_MS);
  }

  private passOver(entry: DeliveryQueueDocument, now: Date): void {
    if (!this.later.has(entry._id)) count(this.laterByLane, entry.lane, 1);
    this.later.set(entry._id, { until: now.getTime() + RETRY_LATER_MS, lane: entry.lane });
  }

  /** Entries of the lane a read will return and this poll will not take. */
  private passedOverIn(lane: string): number {
    return (this.inFlightByLane.get(lane) ?? 0) + (this.laterByLane.get(lane) ?? 0);
  }

  private isResting(webhookId: string, now: Date): boolean {
    return (this.resting.get(webhookId) ?? 0) > now.getTime();
  }

  private forgetPast(now: number): void {
    for (const [id, { until, lane }] of this.later) {
      if (until > now) continue;
      this.later.delete(id);
      count(this.laterByLane, lane, -1);
    }
    for (const [webhookId, until] of this.resting) if (until <= now) this.resting.delete(webhookId);
  }
}

function keyOf(entry: DeliveryQueueDocument): string {
  return `${entry.deliveryId}:${entry.attempt}`;
}

function count(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}

function laneDocument(lane: KnownLane): QueueLaneDocument {
  return { _id: lane.id, slot: lane.slot, webhookId: lane.webhookId };
}
