import type { Collection, Db } from 'mongodb';
import {
  DELIVERY_QUEUE_COLLECTION,
  DELIVERY_QUEUE_LANES_COLLECTION,
  DELIVERY_QUEUE_SLOTS_COLLECTION,
  directoryOf,
  inLane,
  PLATFORM_EVENTS_COLLECTION,
  timeSlotsOf,
  type DeliveryQueueDocument,
  type PlatformEventDocument,
  type QueueLaneDocument,
  type QueueSlotDocument,
} from '@app/deliveries';
import { UPGRADED_MARK } from '../../libs/deliveries/src/storage/queue-layout-upgrade';

export interface DueRetrySeed {
  webhookId: string;
  /** How many deliveries of this webhook have a retry waiting. */
  count: number;
  /** When the n-th is due. */
  dueAt: (n: number) => Date;
  /** Names the deliveries (`<prefix>-<n>`); the webhook id by default. */
  prefix?: string;
  /** Requested ("retry now") rather than scheduled. */
  manual?: boolean;
  /** One stored event per delivery (so a receiver tells them apart) rather than one per webhook. */
  eventPerDelivery?: boolean;
}

/**
 * Writes retries waiting in the delivery queue as the worker writes them (the entry, then its lane
 * and slot listings), with one stored event per webhook for their bodies. Bulk: unordered inserts
 * of up to 1,000, duplicates of the listings ignored. Returns the entries.
 */
export async function seedDueRetries(
  db: Db,
  seeds: DueRetrySeed[],
): Promise<DeliveryQueueDocument[]> {
  const entries: DeliveryQueueDocument[] = [];
  const events: PlatformEventDocument[] = [];
  const receivedAt = new Date();
  const eventFor = (eventId: string, webhookId: string): PlatformEventDocument => ({
    _id: eventId,
    type: 'license.created',
    environment: 'production',
    body: JSON.stringify({ id: eventId, type: 'license.created', data: {} }),
    webhookIds: [webhookId],
    receivedAt,
    ...timeSlotsOf(receivedAt),
  });
  for (const seed of seeds) {
    const shared = `evt_seed_${seed.prefix ?? seed.webhookId}`;
    if (!seed.eventPerDelivery) events.push(eventFor(shared, seed.webhookId));
    for (let n = 0; n < seed.count; n++) {
      const deliveryId = `dlv_${seed.prefix ?? seed.webhookId}-${n}`;
      const eventId = seed.eventPerDelivery ? `${shared}-${n}` : shared;
      if (seed.eventPerDelivery) events.push(eventFor(eventId, seed.webhookId));
      const dueAt = seed.dueAt(n);
      entries.push(
        inLane({
          _id: seed.manual ? `${deliveryId}:2:now` : `${deliveryId}:2`,
          deliveryId,
          webhookId: seed.webhookId,
          eventId,
          eventType: 'license.created',
          environment: 'production',
          attempt: 2,
          dueAt,
          trigger: seed.manual ? 'manual' : 'automatic',
          oneShot: false,
          requestedBy: seed.manual ? 'user:seed' : null,
          scheduledAttempts: 1,
          deliveryCreatedAt: dueAt,
          enqueuedAt: dueAt,
        }),
      );
    }
  }
  await insertIgnoringDuplicates(
    db.collection<PlatformEventDocument>(PLATFORM_EVENTS_COLLECTION),
    events,
  );
  await insertIgnoringDuplicates(
    db.collection<DeliveryQueueDocument>(DELIVERY_QUEUE_COLLECTION),
    entries,
  );
  const lanes = new Map<string, QueueLaneDocument>();
  const slots = new Map<string, QueueSlotDocument>();
  for (const entry of entries) {
    const listing = directoryOf(entry);
    lanes.set(listing.lane._id, listing.lane);
    if (listing.slot) slots.set(listing.slot._id, listing.slot);
  }
  await insertIgnoringDuplicates(
    db.collection<QueueLaneDocument>(DELIVERY_QUEUE_LANES_COLLECTION),
    [...lanes.values()],
  );
  // Written as this version writes them, so a worker starting on them has nothing to file into
  // lanes (as if one had started on the empty queue before).
  await insertIgnoringDuplicates(
    db.collection<QueueSlotDocument>(DELIVERY_QUEUE_SLOTS_COLLECTION),
    [...slots.values(), { _id: UPGRADED_MARK, start: new Date(0) }],
  );
  return entries;
}

async function insertIgnoringDuplicates<T extends { _id: string }>(
  collection: Collection<T>,
  documents: T[],
): Promise<void> {
  for (let i = 0; i < documents.length; i += 1_000) {
    const batch = documents.slice(i, i + 1_000) as unknown as Parameters<
      typeof collection.insertMany
    >[0];
    await collection
      .insertMany(batch, { ordered: false })
      .catch((error: { code?: number; writeErrors?: { code: number }[] }) => {
        const errors = error.writeErrors ?? [error];
        if (!errors.every((e) => e.code === 11000)) throw error;
      });
  }
}
