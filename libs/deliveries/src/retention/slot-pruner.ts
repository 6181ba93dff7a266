import type { Collection, Document, Filter } from 'mongodb';
import { slotWithin, walkSlots } from '../storage/slot-walk';
import { SLOT_LEVELS, slotFilter, type TimeSlots } from '../storage/time-slots';

/** Records are pruned a slot at a time, each step deleting at most about this many. */
export const PRUNE_STEP = 500;

export interface PruneRange {
  /** What to prune: the records matching `filter` whose time lies in [fromMs, beforeMs). */
  filter: Document;
  fromMs: number;
  beforeMs: number;
}

export interface PruneControl {
  /** Asked before each step: false ends the pruning there (the lease was lost, a stop). */
  mayGoOn: () => boolean;
  /** Awaited after each step, so pruning leaves room to the deliveries going on. */
  pause: () => Promise<void>;
}

/**
 * Deletes expired records of one collection in bounded steps: it walks the range oldest first by
 * the records' time slots (slot-walk.ts) and deletes each slot the walk found small enough with one
 * equality-only `deleteMany`, which MongoDB and FerretDB both answer from an index, or, where a
 * slot straddles the end of the range, the expired records of it one by one. Every query costs at
 * most about PRUNE_STEP records, so pruning never holds the database for long, whatever the
 * history; it can stop after any step and resume with the next pass. Returns how many it deleted.
 */
/** What pruning reads of a record: its id (always a string here) and its slots. */
export interface PrunableRecord extends Partial<TimeSlots> {
  _id: string;
}

export async function pruneSlots(
  collection: Collection<PrunableRecord>,
  range: PruneRange,
  control: PruneControl,
): Promise<number> {
  let deleted = 0;
  const walk = walkSlots<PrunableRecord>(
    (query, limit) => {
      const cursor = collection.find(query, { projection: { _id: 1, byTenth: 1 } });
      return (limit === undefined ? cursor : cursor.limit(limit)).toArray();
    },
    {
      filter: range.filter,
      fromMs: range.fromMs,
      toMs: range.beforeMs,
      order: 'oldest',
      probe: PRUNE_STEP,
      timeOf: slotTimeOf,
      compare: (a, b) => slotTimeOf(a) - slotTimeOf(b),
    },
  );
  for await (const { slot, records } of walk) {
    if (!control.mayGoOn()) break;
    if (slot && slotWithin(slot, range.fromMs, range.beforeMs)) {
      const result = await collection.deleteMany({
        ...range.filter,
        ...slotFilter(slot),
      });
      deleted += result.deletedCount;
    } else {
      for (const record of records) {
        const only = { ...range.filter, _id: record._id } as Filter<PrunableRecord>;
        const result = await collection.deleteOne(only);
        deleted += result.deletedCount;
      }
    }
    await control.pause();
  }
  return deleted;
}

/**
 * A record's time as its finest slot tells it (to the tenth of a second): the same for every
 * collection, whichever time its slots were computed from (an attempt's are its delivery's).
 */
function slotTimeOf(record: PrunableRecord): number {
  return (record.byTenth ?? NaN) * SLOT_LEVELS[SLOT_LEVELS.length - 1].widthMs;
}
