import type { Connection } from 'mongoose';
import {
  DELIVERIES_COLLECTION,
  DELIVERY_ATTEMPTS_COLLECTION,
  DELIVERY_CLAIMS_COLLECTION,
  DELIVERY_QUEUE_COLLECTION,
  PLATFORM_EVENTS_COLLECTION,
} from './delivery.documents';
import { DELIVERY_SLOTS_COLLECTION } from './slot-directory';
import { DELIVERY_RATE_SLOTS_COLLECTION } from '../engine/shared-rate-limit';

import { DELIVERY_QUEUE_LANES_COLLECTION } from './queue-layout';

/** Slots are read (lists) and deleted (retention) by the tenth of a second. */
const BY_TENTH = { byTenth: 1 } as const;

/**
 * The indexes the delivery collections need, one per query the code makes. On MongoDB they serve
 * the queries directly; on the embedded FerretDB, scripts/infra mirrors each as a PostgreSQL GIN
 * index, the only kind FerretDB's equality queries can use. docs/operations.md lists which index
 * serves which query.
 */
const INDEXES: Record<string, Record<string, 1 | -1>[]> = {
  [PLATFORM_EVENTS_COLLECTION]: [BY_TENTH],
  [DELIVERIES_COLLECTION]: [
    // A slot of every delivery, of an event type's, of a status's (the other filters are
    // evaluated over the slot's few records).
    BY_TENTH,
    // A webhook's slot, by the second.
    { webhookId: 1, bySecond: 1 },
    // One event's deliveries; the deliveries in progress (pending, retrying).
    { eventId: 1 },
    { status: 1 },
  ],
  [DELIVERY_ATTEMPTS_COLLECTION]: [{ deliveryId: 1, number: 1 }, BY_TENTH],
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
  // A slot's children (lists walk down), a slot's entries in every scope (retention).
  [DELIVERY_SLOTS_COLLECTION]: [{ parent: 1 }, { at: 1 }],
  // Rate slots are pruned by webhook and second (and, at start-up, left-overs by time).
  [DELIVERY_RATE_SLOTS_COLLECTION]: [{ webhookId: 1, second: 1 }, { at: 1 }],
};

export async function ensureDeliveryIndexes(connection: Connection): Promise<void> {
  for (const [collection, indexes] of Object.entries(INDEXES)) {
    for (const keys of indexes) await connection.collection(collection).createIndex(keys);
  }
}
