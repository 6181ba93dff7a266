import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '@app/platform';
import type { DeliveryQueueDocument } from './delivery.documents';
import type { QueueLaneDocument, QueueSlotDocument } from './queue-layout';

/**
 * What the queue poller reads of `delivery_queue` and its directories. Every query is an equality
 * on one indexed field with a limit and no sort, so FerretDB hands it to PostgreSQL and stops
 * after the limit: a poll costs what it takes, not what waits.
 */
export interface QueueStore {
  /** Every minute slot listed as holding lanes (a few hundred at most: one per minute of work). */
  slots(): Promise<QueueSlotDocument[]>;
  /** The lanes listed in a slot (`manual` or `due:<minute>`). */
  lanesIn(slot: string): Promise<QueueLaneDocument[]>;
  /** Up to `limit` entries of the lane; when `dueBy` is given, only those due by then. */
  entries(lane: string, limit: number, dueBy?: Date): Promise<DeliveryQueueDocument[]>;
  /** The lane was found empty: unlist it, and list it again if an entry arrived meanwhile. */
  unlistLane(lane: QueueLaneDocument): Promise<void>;
  /** The slot was found without lanes: unlist it, and list it again if one arrived meanwhile. */
  unlistSlot(slot: QueueSlotDocument): Promise<void>;
}

export interface QueueCollections {
  queue: Collection<DeliveryQueueDocument>;
  lanes: Collection<QueueLaneDocument>;
  slots: Collection<QueueSlotDocument>;
}

/** The QueueStore on MongoDB / FerretDB. */
export class MongoQueueStore implements QueueStore {
  constructor(private readonly collections: QueueCollections) {}

  slots(): Promise<QueueSlotDocument[]> {
    return this.collections.slots.find({}).toArray();
  }

  lanesIn(slot: string): Promise<QueueLaneDocument[]> {
    return this.collections.lanes.find({ slot }).toArray();
  }

  entries(lane: string, limit: number, dueBy?: Date): Promise<DeliveryQueueDocument[]> {
    if (limit <= 0) return Promise.resolve([]);
    // `dueBy` only for the minute under way: FerretDB filters it in its own process, but over
    // this one lane's rows (equality, index-served), stopping at the limit.
    const filter = dueBy ? { lane, dueAt: { $lte: dueBy } } : { lane };
    return this.collections.queue.find(filter).limit(limit).toArray();
  }

  async unlistLane(lane: QueueLaneDocument): Promise<void> {
    // Delete, then look again: a writer inserts its entry before the lane, so an entry that
    // arrived before this look is seen here, and one after it lists the lane itself.
    await this.collections.lanes.deleteOne({ _id: lane._id });
    const left = await this.collections.queue.find({ lane: lane._id }).limit(1).toArray();
    if (left.length > 0) await insertOnce(this.collections.lanes, lane);
  }

  async unlistSlot(slot: QueueSlotDocument): Promise<void> {
    await this.collections.slots.deleteOne({ _id: slot._id });
    const left = await this.collections.lanes.find({ slot: slot._id }).limit(1).toArray();
    if (left.length > 0) await insertOnce(this.collections.slots, slot);
  }
}

/** Inserts the document unless one with its id exists. */
export async function insertOnce<T extends { _id: string }>(
  collection: Collection<T>,
  document: T,
): Promise<boolean> {
  try {
    await collection.insertOne(document as Parameters<Collection<T>['insertOne']>[0]);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}
