import type { Db } from 'mongodb';
import {
  attemptIdOf,
  DELIVERIES_COLLECTION,
  DELIVERY_ATTEMPTS_COLLECTION,
  DELIVERY_QUEUE_COLLECTION,
  deliveryIdOf,
  PLATFORM_EVENTS_COLLECTION,
  type AttemptOutcome,
  type DeliveryAttemptDocument,
  type DeliveryDocument,
  type DeliveryQueueDocument,
  type DeliveryStatus,
  type PlatformEventDocument,
  storedDelivery,
  timeSlotsOf,
  type StoredDelivery,
  ALL_EVENTS,
  DELIVERY_SLOTS_COLLECTION,
  entriesFor,
  scopesOf,
  type SlotEntry,
  DELIVERY_QUEUE_LANES_COLLECTION,
  DELIVERY_QUEUE_SLOTS_COLLECTION,
  directoryOf,
  inLane,
  type QueueLaneDocument,
  type QueueSlotDocument,
} from '@app/deliveries';

/** One delivery to seed, as a worker would have recorded it. */
export interface DeliverySeed {
  webhookId: string;
  /** Names the event: `evt_<event>_<first 8 of the webhook id>`. */
  event: string;
  at: Date;
  status: DeliveryStatus;
  eventType?: string;
  environment?: string;
  /** Each attempt's response status (null: no response), oldest first. */
  responses?: Array<number | null>;
  /** For pending and retrying: when the next attempt is due (far in the future by default). */
  nextAttemptAt?: Date;
}

export interface SeededDelivery {
  _id: string;
  eventId: string;
  summary: DeliveryDocument;
  attempts: DeliveryAttemptDocument[];
}

const FAR_AWAY = new Date('2099-01-01T00:00:00Z');

/**
 * Writes one delivery as the worker records it: the event (its body), the summary, each attempt,
 * and, while it is pending or retrying, the queue entry of its next attempt. For tests that read
 * deliveries without running a worker.
 */
export async function seedDelivery(db: Db, seed: DeliverySeed): Promise<SeededDelivery> {
  const eventId = `evt_${seed.event}_${seed.webhookId.slice(0, 8)}`;
  const id = deliveryIdOf(eventId, seed.webhookId);
  const type = seed.eventType ?? 'license.created';
  const environment = seed.environment ?? 'production';
  const responses = seed.responses ?? [];
  const finished = seed.status === 'succeeded' || seed.status === 'failed';
  const nextAttemptAt = finished ? null : (seed.nextAttemptAt ?? FAR_AWAY);
  const body = JSON.stringify({
    id: eventId,
    type,
    environment,
    occurredAt: seed.at.toISOString(),
    data: { licenseId: seed.event },
  });
  const attempts: DeliveryAttemptDocument[] = responses.map((status, i) => {
    const last = i === responses.length - 1;
    const outcome: AttemptOutcome =
      !last || !finished
        ? {
            status: 'retrying',
            nextAttemptAt: nextAttemptAt ?? new Date(seed.at.getTime() + i + 1),
          }
        : seed.status === 'succeeded'
          ? { status: 'succeeded' }
          : { status: 'failed', reason: 'every attempt of the retry policy failed' };
    return {
      _id: attemptIdOf(id, i + 1),
      deliveryId: id,
      webhookId: seed.webhookId,
      eventId,
      number: i + 1,
      at: new Date(seed.at.getTime() + i),
      trigger: 'automatic',
      requestedBy: null,
      url: 'https://receiver.example.com/hooks',
      requestHeaders: { 'webhook-id': 'evt', 'webhook-signature': 'v1,sig' },
      responseStatus: status,
      responseBody: status === null ? null : `status ${status}`,
      durationMs: 42,
      error: status === 200 ? null : `HTTP ${status ?? 'timeout'}`,
      outcome,
      scheduledAttempts: i + 1,
      token: `seed-${i}`,
      ...timeSlotsOf(seed.at),
    };
  });
  const last = attempts.at(-1);
  const summary: DeliveryDocument = {
    _id: id,
    webhookId: seed.webhookId,
    eventId,
    eventType: type,
    environment,
    status: seed.status,
    attemptCount: attempts.length,
    scheduledAttempts: attempts.length,
    nextAttemptAt,
    lastAttempt: last
      ? {
          number: last.number,
          at: last.at,
          responseStatus: last.responseStatus,
          error: last.error,
          durationMs: last.durationMs,
        }
      : null,
    failureReason: seed.status === 'failed' ? 'every attempt of the retry policy failed' : null,
    requestedBy: null,
    createdAt: seed.at,
    updatedAt: new Date(seed.at.getTime() + 1000),
    finishedAt: finished ? new Date(seed.at.getTime() + 1000) : null,
    source: { topic: 'platform.licenses', partition: 0, offset: '1' },
  };
  const event: PlatformEventDocument = {
    _id: eventId,
    type,
    environment,
    body,
    webhookIds: [seed.webhookId],
    receivedAt: seed.at,
    ...timeSlotsOf(seed.at),
    source: { topic: 'platform.licenses', partition: 0, offset: '1' },
  };
  await listInDirectory(db, [
    ...entriesFor([ALL_EVENTS], seed.at),
    ...entriesFor(scopesOf(summary), seed.at),
  ]);
  await db
    .collection<PlatformEventDocument>(PLATFORM_EVENTS_COLLECTION)
    .insertOne(event)
    .catch(() => undefined);
  await db.collection<StoredDelivery>(DELIVERIES_COLLECTION).insertOne(storedDelivery(summary));
  if (attempts.length > 0) {
    await db.collection<DeliveryAttemptDocument>(DELIVERY_ATTEMPTS_COLLECTION).insertMany(attempts);
  }
  if (nextAttemptAt) {
    const entry: DeliveryQueueDocument = inLane({
      _id: attemptIdOf(id, attempts.length + 1),
      deliveryId: id,
      webhookId: seed.webhookId,
      eventId,
      eventType: type,
      environment,
      attempt: attempts.length + 1,
      dueAt: nextAttemptAt,
      trigger: 'automatic',
      oneShot: false,
      requestedBy: null,
      scheduledAttempts: attempts.length,
      deliveryCreatedAt: seed.at,
      enqueuedAt: seed.at,
    });
    await db.collection<DeliveryQueueDocument>(DELIVERY_QUEUE_COLLECTION).insertOne(entry);
    const listing = directoryOf(entry);
    // Listed as the worker lists it (a duplicate: another seeded delivery listed the lane).
    await db
      .collection<QueueLaneDocument>(DELIVERY_QUEUE_LANES_COLLECTION)
      .insertOne(listing.lane)
      .catch(() => undefined);
    if (listing.slot) {
      await db
        .collection<QueueSlotDocument>(DELIVERY_QUEUE_SLOTS_COLLECTION)
        .insertOne(listing.slot)
        .catch(() => undefined);
    }
  }
  return { _id: id, eventId, summary, attempts };
}

/** The slot directory entries of what is seeded, as a worker writes them (duplicates are fine). */
export async function listInDirectory(db: Db, entries: SlotEntry[]): Promise<void> {
  const unique = [...new Map(entries.map((entry) => [entry._id, entry])).values()];
  const slots = db.collection<SlotEntry>(DELIVERY_SLOTS_COLLECTION);
  await Promise.all(unique.map((entry) => slots.insertOne(entry).catch(() => undefined)));
}
