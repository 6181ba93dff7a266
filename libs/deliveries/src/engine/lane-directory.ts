import { Logger } from '@nestjs/common';
import {
  dueSlotOf,
  MANUAL_SLOT,
  SLOT_MS,
  slotStartOf,
  type QueueLaneDocument,
} from '../storage/queue-layout';
import type { QueueStore } from '../storage/queue-store';

/**
 * A slot is listed again on every poll until this long after it ended: an entry decided just
 * before its due time (a short retry, a parked delivery, another worker's clock) may land a little
 * after its minute has begun or passed.
 */
const SETTLING_MS = 60_000;
/**
 * Every this often the slot directory is read again, and the due slots this worker has not listed
 * yet, or that ended within RECENT_MS, are listed: lanes written later still (a write retried
 * through a database outage) are found within this time.
 */
const REVISIT_MS = 30_000;
const RECENT_MS = 600_000;
/** Every this often every due slot is listed again, however old (a long outage's late writes). */
const FULL_REVISIT_MS = 600_000;

/** A scheduled lane this worker knows to have entries (as of its last look). */
export interface KnownLane {
  id: string;
  slot: string;
  webhookId: string;
  /** When its slot begins (ms). */
  start: number;
}

/**
 * This worker's picture of which scheduled lanes hold entries, kept from the lane directory so a
 * poll reads only the directories of the minute under way (and the one before, settling), plus,
 * now and then, every due slot again. It starts with a full look (every due slot listed), so after
 * a restart nothing due is missed, however old. A lane found empty is forgotten and unlisted.
 */
export class LaneDirectory {
  private readonly logger = new Logger(LaneDirectory.name);
  private readonly known = new Map<string, KnownLane>();
  private readonly listedAt = new Map<string, number>();
  private revisitedAt = -Infinity;
  private fullyRevisitedAt = -Infinity;
  /** Due slots listed since the last full revisit. */
  private readonly listedSince = new Set<string>();

  constructor(
    private readonly store: QueueStore,
    /** A settling slot is listed at most this often (the poll interval). */
    private readonly relistEveryMs: number,
  ) {}

  /** The lanes with requested attempts: few, and looked at on every poll. */
  manualLanes(): Promise<QueueLaneDocument[]> {
    return this.store.lanesIn(MANUAL_SLOT);
  }

  /** Brings the picture up to date as of `now` (cheap unless a revisit is due). */
  async refresh(now: number): Promise<void> {
    if (now - this.revisitedAt >= REVISIT_MS) {
      await this.revisit(now);
      return;
    }
    const settling: string[] = [];
    for (let start = slotStart(now - SETTLING_MS); start <= now; start += SLOT_MS) {
      const slot = dueSlotOf(new Date(start));
      if (now - (this.listedAt.get(slot) ?? -Infinity) >= this.relistEveryMs) settling.push(slot);
    }
    await Promise.all(settling.map((slot) => this.list(slot, now)));
  }

  /** Known lanes due by `now` (their slot has begun), by webhook, each webhook's oldest first. */
  dueByWebhook(now: number): Map<string, KnownLane[]> {
    const byWebhook = new Map<string, KnownLane[]>();
    for (const lane of this.known.values()) {
      if (lane.start > now) continue;
      const lanes = byWebhook.get(lane.webhookId) ?? [];
      lanes.push(lane);
      byWebhook.set(lane.webhookId, lanes);
    }
    for (const lanes of byWebhook.values()) lanes.sort((a, b) => a.start - b.start);
    return byWebhook;
  }

  /**
   * The lane was read empty: forget it, and unlist it (in the background: it only saves reads).
   * A scheduled lane is unlisted only once its slot has settled, when no writer should still be
   * adding to it: a worker killed between the unlisting and its second look would otherwise leave
   * an entry that landed just then unlisted. (A manual lane is listed again by the next request
   * for its webhook, which writes the listing even when its entry exists.)
   */
  empty(lane: QueueLaneDocument, now: number): void {
    this.known.delete(lane._id);
    if (lane.slot !== MANUAL_SLOT && slotStartOf(lane.slot) + SLOT_MS + SETTLING_MS > now) return;
    void this.store
      .unlistLane(lane)
      .catch((error: Error) => this.logger.warn(`unlisting lane ${lane._id}: ${error.message}`));
  }

  private async revisit(now: number): Promise<void> {
    const full = now - this.fullyRevisitedAt >= FULL_REVISIT_MS;
    if (full) this.listedSince.clear();
    const slots = await this.store.slots();
    // Due slots, oldest first, a few at a time (each is one index-served equality).
    const due = slots
      .filter((slot) => slot._id.startsWith('due:') && slotStartOf(slot._id) <= now)
      .filter(
        (slot) =>
          !this.listedSince.has(slot._id) || slotStartOf(slot._id) + SLOT_MS + RECENT_MS > now,
      )
      .sort((a, b) => slotStartOf(a._id) - slotStartOf(b._id));
    for (let i = 0; i < due.length; i += 8) {
      await Promise.all(
        due.slice(i, i + 8).map(async (slot) => {
          const lanes = await this.list(slot._id, now);
          const settled = slotStartOf(slot._id) + SLOT_MS + SETTLING_MS <= now;
          if (lanes === 0 && settled) {
            await this.store.unlistSlot(slot);
            this.listedSince.delete(slot._id);
          }
        }),
      );
    }
    this.revisitedAt = now;
    if (full) this.fullyRevisitedAt = now;
  }

  /** Lists a slot's lanes into the picture; returns how many it has. */
  private async list(slot: string, now: number): Promise<number> {
    const lanes = await this.store.lanesIn(slot);
    this.listedAt.set(slot, now);
    this.listedSince.add(slot);
    for (const [listed] of this.listedAt) {
      if (slotStartOf(listed) + SLOT_MS + SETTLING_MS < now) this.listedAt.delete(listed);
    }
    const start = slotStartOf(slot);
    for (const lane of lanes) {
      if (!this.known.has(lane._id)) {
        this.known.set(lane._id, { id: lane._id, slot, webhookId: lane.webhookId, start });
      }
    }
    return lanes.length;
  }
}

function slotStart(at: number): number {
  return Math.floor(at / SLOT_MS) * SLOT_MS;
}
