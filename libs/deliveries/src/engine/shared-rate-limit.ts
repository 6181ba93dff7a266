import { Logger } from '@nestjs/common';
import { MongoBulkWriteError, type Collection, type WriteError } from 'mongodb';

/** One reserved request slot: `<webhookId>:<second>:<n>`, n from 0 to the cap - 1. */
export const DELIVERY_RATE_SLOTS_COLLECTION = 'delivery_rate_slots';

export interface RateSlotDocument {
  _id: string;
  webhookId: string;
  /** Unix seconds of the slot. */
  second: number;
  n: number;
  /** The worker that reserved it (for an operator looking at the collection). */
  owner: string;
  /** When it was reserved: what the start-up sweep removes leftovers by. */
  at: Date;
}

/**
 * Send times for a webhook with a rate cap. `reserve` is the only call that costs I/O, and only
 * webhooks with a cap ever make it.
 */
export interface SendPermits {
  /**
   * Reserves up to `wanted` (at most `perSecond`) request slots for the webhook: their start times
   * (epoch ms), ascending, each usable from then until `graceMs(perSecond)` after. None when every
   * slot of the next seconds is taken (by other workers): ask again later.
   */
  reserve(webhookId: string, perSecond: number, wanted: number): Promise<number[]>;
  graceMs(perSecond: number): number;
}

/** How far ahead slots are reserved: enough for a second's work, no more (a stop wastes them). */
const HORIZON_MS = 2_000;
/** Reservation rounds per call before answering "none for now". */
const MAX_ROUNDS = 3;
/** A second's slots are deleted this long after it ended (its own, by the process that took them). */
const PRUNE_AFTER_MS = 3_000;
/** How often a webhook's old slots of any worker (one that crashed) are swept. */
const SWEEP_EVERY_MS = 60_000;

interface WebhookSlots {
  perSecond: number;
  /** The first slot index this process has not tried yet (slot k: second ⌊k/N⌋, n = k mod N). */
  cursor: number;
  /** Seconds this process took slots in, not yet pruned. */
  seconds: Set<number>;
  sweptAt: number;
}

/**
 * A rate cap shared by every worker: the cap N of a webhook is N slots per wall-clock second,
 * `(webhook, second, n)` with n < N, and a request is sent only in a slot this worker reserved by
 * inserting the slot's document under its unique `_id` — the one write MongoDB and FerretDB both
 * make atomic (FerretDB's updates are read-modify-write, so no counter would do). Two workers can
 * never hold the same slot, so no second carries more than N requests, whatever the number of
 * workers.
 *
 * The slots of a second are spread evenly over it (slot n starts at n/N s) and one may be used
 * only within half a slot's width after its start, so a request sent in the last slot of a second
 * still lands within that second at the receiver unless it is delayed by more than half a slot.
 *
 * Slots are reserved a batch at a time (one unordered insertMany of the next free candidates, as
 * many as there are requests waiting, up to N), so a capped webhook costs about one insert per
 * second per worker, plus one delete per second for the slots it used: the collection stays at a
 * few seconds' worth of documents per capped webhook. A crashed worker's leftovers are swept by
 * whoever next limits that webhook (once a minute) and at start-up.
 */
export class SharedRateLimiter implements SendPermits {
  private readonly logger = new Logger(SharedRateLimiter.name);
  private readonly webhooks = new Map<string, WebhookSlots>();
  private pruneTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly slots: Collection<RateSlotDocument>,
    private readonly owner: string,
    private readonly now: () => number = Date.now,
  ) {}

  graceMs(perSecond: number): number {
    return 500 / perSecond;
  }

  async reserve(webhookId: string, perSecond: number, wanted: number): Promise<number[]> {
    if (this.stopped) return [];
    const state = this.stateOf(webhookId, perSecond);
    const now = this.now();
    let from = Math.max(this.firstUsableSlot(now, perSecond), state.cursor);
    const last = Math.floor(((now + HORIZON_MS) * perSecond) / 1000);
    const count = Math.max(1, Math.min(wanted, perSecond));
    for (let round = 0; round < MAX_ROUNDS && from <= last; round++) {
      const candidates: number[] = [];
      for (let k = from; k < from + count && k <= last; k++) candidates.push(k);
      from += candidates.length;
      state.cursor = from;
      const won = await this.insert(webhookId, perSecond, candidates, now);
      for (const k of won) state.seconds.add(Math.floor(k / perSecond));
      this.schedulePrune();
      this.maybeSweep(webhookId, state, now);
      if (won.length > 0) return won.map((k) => startOf(k, perSecond));
    }
    return [];
  }

  /** Removes slots reserved before `before` (a crashed worker's): at start-up, over all webhooks. */
  async sweepAll(before: Date): Promise<number> {
    const { deletedCount } = await this.slots.deleteMany({ at: { $lt: before } });
    return deletedCount;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.pruneTimer);
  }

  private stateOf(webhookId: string, perSecond: number): WebhookSlots {
    let state = this.webhooks.get(webhookId);
    if (!state || state.perSecond !== perSecond) {
      // A changed cap numbers its slots anew: in the second it changes, at most the larger cap.
      state = { perSecond, cursor: 0, seconds: state?.seconds ?? new Set(), sweptAt: 0 };
      this.webhooks.set(webhookId, state);
    }
    return state;
  }

  /** The first slot whose window (its start plus the grace) has not passed yet. */
  private firstUsableSlot(now: number, perSecond: number): number {
    const k = Math.floor((now * perSecond) / 1000);
    return startOf(k, perSecond) + this.graceMs(perSecond) >= now ? k : k + 1;
  }

  /** The candidates this process now holds: those whose insert was not refused as a duplicate. */
  private async insert(
    webhookId: string,
    perSecond: number,
    candidates: number[],
    now: number,
  ): Promise<number[]> {
    const at = new Date(now);
    const documents = candidates.map((k) => {
      const second = Math.floor(k / perSecond);
      const n = k % perSecond;
      return { _id: `${webhookId}:${second}:${n}`, webhookId, second, n, owner: this.owner, at };
    });
    try {
      await this.slots.insertMany(documents, { ordered: false });
      return candidates;
    } catch (error) {
      const writeErrors = error instanceof MongoBulkWriteError ? error.writeErrors : undefined;
      const list: WriteError[] = Array.isArray(writeErrors)
        ? (writeErrors as WriteError[])
        : writeErrors
          ? [writeErrors as WriteError]
          : [];
      if (list.length === 0) {
        // Nothing known of what landed: none is used (a slot held by nobody is only wasted).
        this.logger.warn(`reserving rate slots failed: ${(error as Error).message}`);
        return [];
      }
      const refused = new Set(list.map((writeError) => writeError.index));
      return candidates.filter((_, index) => !refused.has(index));
    }
  }

  /** Once a second: delete the seconds this process used that are over. */
  private schedulePrune(): void {
    if (this.pruneTimer || this.stopped) return;
    this.pruneTimer = setTimeout(() => {
      this.pruneTimer = undefined;
      void this.prune();
    }, 1_000);
    this.pruneTimer.unref();
  }

  private async prune(): Promise<void> {
    const before = Math.floor((this.now() - PRUNE_AFTER_MS) / 1000);
    const deletes: Promise<unknown>[] = [];
    let pending = false;
    for (const [webhookId, state] of this.webhooks) {
      for (const second of state.seconds) {
        if (second >= before) {
          pending = true;
          continue;
        }
        state.seconds.delete(second);
        // Both fields are top-level equalities: FerretDB selects the few documents itself.
        deletes.push(this.slots.deleteMany({ webhookId, second }));
      }
      if (state.seconds.size === 0 && state.cursor < before * state.perSecond) {
        this.webhooks.delete(webhookId);
      }
    }
    const failed = (await Promise.allSettled(deletes)).filter((r) => r.status === 'rejected');
    if (failed.length > 0) this.logger.warn(`${failed.length} rate slot prunes failed`);
    if (pending) this.schedulePrune();
  }

  /** Old slots of this webhook by any worker: a crashed one leaves a few seconds' worth behind. */
  private maybeSweep(webhookId: string, state: WebhookSlots, now: number): void {
    if (now - state.sweptAt < SWEEP_EVERY_MS) return;
    state.sweptAt = now;
    const before = Math.floor((now - SWEEP_EVERY_MS) / 1000);
    // An equality on webhookId first: the range is evaluated over this webhook's few slots only.
    this.slots.deleteMany({ webhookId, second: { $lt: before } }).catch((error: Error) => {
      this.logger.warn(`sweeping old rate slots failed: ${error.message}`);
    });
  }
}

/** Slot k's start (epoch ms): second ⌊k/N⌋, plus n/N of it. */
export function startOf(k: number, perSecond: number): number {
  const second = Math.floor(k / perSecond);
  const n = k % perSecond;
  return second * 1000 + Math.floor((n * 1000) / perSecond);
}
