import type { Connection } from 'mongoose';
import {
  DELIVERIES_COLLECTION,
  DELIVERY_ATTEMPTS_COLLECTION,
  DELIVERY_CLAIMS_COLLECTION,
  DELIVERY_QUEUE_COLLECTION,
  PLATFORM_EVENTS_COLLECTION,
} from './delivery.documents';
import { SLOT_LEVELS } from './time-slots';

/** One index per time-slot field: each walk and prune query is an equality on one of them. */
const BY_SLOT: Record<string, 1>[] = SLOT_LEVELS.map(({ field }) => ({ [field]: 1 }));
import { DELIVERY_QUEUE_LANES_COLLECTION } from './queue-layout';

/**
 * The indexes the delivery collections need, one per query the code makes. On MongoDB they serve
 * the queries directly; on the embedded FerretDB, scripts/infra mirrors each as a PostgreSQL GIN
 * index, the only kind FerretDB's equality queries can use. docs/operations.md lists which index
 * serves which query.
 */
const INDEXES: Record<string, Record<string, 1 | -1>[]> = {
  [PLATFORM_EVENTS_COLLECTION]: BY_SLOT,
  [DELIVERIES_COLLECTION]: [
    ...BY_SLOT,
    // A filtered list: the filter's field, then the slot the walk reads (MongoDB); FerretDB
    // intersects the two fields' indexes.
    { webhookId: 1, byHour: 1 },
    { status: 1, byHour: 1 },
    { eventType: 1, byHour: 1 },
    { eventId: 1 },
  ],
  [DELIVERY_ATTEMPTS_COLLECTION]: [{ deliveryId: 1, number: 1 }, ...BY_SLOT],
  // Polls read a lane by equality (and, for the minute under way, `dueAt` within it); the
  // recorder removes an attempt's entries by delivery and attempt; the api reads by delivery.
  [DELIVERY_QUEUE_COLLECTION]: [
    { lane: 1, dueAt: 1 },
    { deliveryId: 1, attempt: 1 },
    { webhookId: 1 },
  ],
  // Polls list a slot's lanes by equality. `delivery_queue_slots` is read whole (by `_id`).
  [DELIVERY_QUEUE_LANES_COLLECTION]: [{ slot: 1 }],
  [DELIVERY_CLAIMS_COLLECTION]: [{ key: 1 }, { leaseUntil: 1 }],
};

export async function ensureDeliveryIndexes(connection: Connection): Promise<void> {
  for (const [collection, indexes] of Object.entries(INDEXES)) {
    for (const keys of indexes) await connection.collection(collection).createIndex(keys);
  }
}
