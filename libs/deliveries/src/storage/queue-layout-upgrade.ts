import type { DeliveryQueueDocument } from './delivery.documents';
import { directoryOf, inLane } from './queue-layout';
import { insertOnce, type QueueCollections } from './queue-store';

/** Kept in `delivery_queue_slots` once the queue's entries all have lanes (never a `due:` slot). */
export const UPGRADED_MARK = 'layout:lanes';

/**
 * Files the entries written before the queue had lanes (an upgrade with retries waiting) into
 * their lanes, once per database: a worker that finds no mark reads the entries without a lane
 * (a whole-queue scan on FerretDB, paid once), sets each one's lane and lists it, then leaves the
 * mark. Idempotent, so two workers starting at once only do the same work twice.
 */
export async function fileUnlanedEntries(collections: QueueCollections): Promise<number> {
  if (await collections.slots.findOne({ _id: UPGRADED_MARK })) return 0;
  const unlaned = await collections.queue.find({ lane: { $exists: false } }).toArray();
  for (const old of unlaned) {
    const entry: DeliveryQueueDocument = inLane(old);
    await collections.queue.updateOne(
      { _id: entry._id, lane: { $exists: false } },
      { $set: { lane: entry.lane } },
    );
    const listing = directoryOf(entry);
    await insertOnce(collections.lanes, listing.lane);
    if (listing.slot) await insertOnce(collections.slots, listing.slot);
  }
  await insertOnce(collections.slots, { _id: UPGRADED_MARK, start: new Date(0) });
  return unlaned.length;
}
