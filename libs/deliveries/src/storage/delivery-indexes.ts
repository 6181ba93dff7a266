import type { Connection } from 'mongoose';
import {
  DELIVERIES_COLLECTION,
  DELIVERY_ATTEMPTS_COLLECTION,
  DELIVERY_CLAIMS_COLLECTION,
  DELIVERY_QUEUE_COLLECTION,
  PLATFORM_EVENTS_COLLECTION,
} from './delivery.documents';

/**
 * The indexes the delivery collections need on MongoDB, one per query the code makes (FerretDB
 * keeps them too, though it filters in its own process). docs/operations.md lists which serves
 * which query.
 */
const INDEXES: Record<string, Record<string, 1 | -1>[]> = {
  [PLATFORM_EVENTS_COLLECTION]: [{ receivedAt: 1 }],
  [DELIVERIES_COLLECTION]: [
    { createdAt: -1, _id: -1 },
    { webhookId: 1, createdAt: -1 },
    { status: 1, createdAt: -1 },
    { eventType: 1, createdAt: -1 },
    { eventId: 1 },
  ],
  [DELIVERY_ATTEMPTS_COLLECTION]: [{ deliveryId: 1, number: 1 }],
  [DELIVERY_QUEUE_COLLECTION]: [
    { dueAt: 1 },
    { trigger: 1, dueAt: 1 },
    { deliveryId: 1, attempt: 1 },
    { webhookId: 1 },
  ],
  [DELIVERY_CLAIMS_COLLECTION]: [{ key: 1 }, { leaseUntil: 1 }],
};

export async function ensureDeliveryIndexes(connection: Connection): Promise<void> {
  for (const [collection, indexes] of Object.entries(INDEXES)) {
    for (const keys of indexes) await connection.collection(collection).createIndex(keys);
  }
}
