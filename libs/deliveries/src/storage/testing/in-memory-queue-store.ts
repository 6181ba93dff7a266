import type { DeliveryQueueDocument } from '../delivery.documents';
import {
  directoryOf,
  inLane,
  type QueueLaneDocument,
  type QueueSlotDocument,
  type UnlanedQueueEntry,
} from '../queue-layout';
import type { QueueStore } from '../queue-store';

/** One read the poller made, for tests that check what a poll costs. */
export interface QueueRead {
  kind: 'slots' | 'lanes' | 'entries';
  /** The slot or lane read. */
  of: string;
  limit?: number;
  returned: number;
}

/**
 * The QueueStore in memory, for unit tests: the same layout (entries in lanes, the lane and slot
 * directories written after the entry) and the same read semantics (insertion order, a limit, no
 * sort), and a log of every read.
 */
export class InMemoryQueueStore implements QueueStore {
  readonly entriesById = new Map<string, DeliveryQueueDocument>();
  readonly lanes = new Map<string, QueueLaneDocument>();
  readonly slotDocs = new Map<string, QueueSlotDocument>();
  readonly reads: QueueRead[] = [];

  /** Adds entries as a writer does: the entry, then its lane's and slot's listing. */
  add(...entries: UnlanedQueueEntry[]): void {
    for (const unlaned of entries) {
      const entry = inLane(unlaned);
      if (this.entriesById.has(entry._id)) continue;
      this.entriesById.set(entry._id, entry);
      const listing = directoryOf(entry);
      if (!this.lanes.has(listing.lane._id)) this.lanes.set(listing.lane._id, listing.lane);
      if (listing.slot && !this.slotDocs.has(listing.slot._id)) {
        this.slotDocs.set(listing.slot._id, listing.slot);
      }
    }
  }

  /** Removes an attempt's entries, as the recorder does once it is recorded. */
  remove(deliveryId: string, attempt: number): void {
    for (const [id, entry] of this.entriesById) {
      if (entry.deliveryId === deliveryId && entry.attempt === attempt) this.entriesById.delete(id);
    }
  }

  slots(): Promise<QueueSlotDocument[]> {
    const all = [...this.slotDocs.values()];
    this.reads.push({ kind: 'slots', of: '*', returned: all.length });
    return Promise.resolve(all);
  }

  lanesIn(slot: string): Promise<QueueLaneDocument[]> {
    const found = [...this.lanes.values()].filter((lane) => lane.slot === slot);
    this.reads.push({ kind: 'lanes', of: slot, returned: found.length });
    return Promise.resolve(found);
  }

  entries(lane: string, limit: number, dueBy?: Date): Promise<DeliveryQueueDocument[]> {
    const found = [...this.entriesById.values()]
      .filter((entry) => entry.lane === lane && (!dueBy || entry.dueAt <= dueBy))
      .slice(0, limit);
    this.reads.push({ kind: 'entries', of: lane, limit, returned: found.length });
    return Promise.resolve(found);
  }

  unlistLane(lane: QueueLaneDocument): Promise<void> {
    this.lanes.delete(lane._id);
    if ([...this.entriesById.values()].some((entry) => entry.lane === lane._id)) {
      this.lanes.set(lane._id, lane);
    }
    return Promise.resolve();
  }

  unlistSlot(slot: QueueSlotDocument): Promise<void> {
    this.slotDocs.delete(slot._id);
    if ([...this.lanes.values()].some((lane) => lane.slot === slot._id)) {
      this.slotDocs.set(slot._id, slot);
    }
    return Promise.resolve();
  }
}

/** A queue entry for tests: attempt `attempt` of `deliveryId`, due at `dueAt`. */
export function queueEntry(
  deliveryId: string,
  webhookId: string,
  dueAt: Date,
  options: { attempt?: number; manual?: boolean; id?: string } = {},
): UnlanedQueueEntry {
  const attempt = options.attempt ?? 2;
  return {
    _id: options.id ?? `${deliveryId}:${attempt}${options.manual ? ':now' : ''}`,
    deliveryId,
    webhookId,
    eventId: `evt-${deliveryId}`,
    eventType: 'license.created',
    environment: 'production',
    attempt,
    dueAt,
    trigger: options.manual ? 'manual' : 'automatic',
    oneShot: false,
    requestedBy: options.manual ? 'user:admin' : null,
    scheduledAttempts: attempt - 1,
    deliveryCreatedAt: new Date(0),
    enqueuedAt: dueAt,
  };
}
