import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import type { AppConfig } from '@app/config';
import { FixedClock } from '@app/event-store';
import { GracefulShutdown, ShutdownState } from '@app/platform';
import { dropTestDatabase, openTestDatabase } from '../../../../test/support/test-database';
import { listInDirectory, seedDelivery } from '../../../../test/support/delivery-seeds';
import { scopesOf } from '../storage/delivery-scopes';
import {
  DELIVERY_SLOTS_COLLECTION,
  entriesFor,
  FINEST_LEVEL,
  type SlotEntry,
} from '../storage/slot-directory';
import { timeSlotsOf } from '../storage/time-slots';
import {
  DELIVERIES_COLLECTION,
  DELIVERY_ATTEMPTS_COLLECTION,
  PLATFORM_EVENTS_COLLECTION,
} from '../storage/delivery.documents';
import { storedDelivery, type StoredDelivery } from '../storage/stored-delivery';
import { DeliveryPruner } from './delivery-pruner';
import { RetentionMetrics } from './retention-metrics';

const DAY = 86_400_000;
const NOW = new Date('2026-11-30T12:00:00.000Z');
const daysAgo = (days: number, ms = 0) => new Date(NOW.getTime() - days * DAY + ms);
const WEBHOOK = '7f0c3c9e-2a51-4c41-9a9e-5d7d3b7e0a01';

describe('DeliveryPruner (real database)', () => {
  let connection: Connection;

  beforeEach(async () => {
    connection = await openTestDatabase('delivery_pruner');
  });

  afterEach(() => dropTestDatabase(connection));

  function pruner(metrics = new RetentionMetrics(new Registry())): DeliveryPruner {
    return new DeliveryPruner(
      connection,
      new FixedClock(NOW),
      { deliveryRetentionDays: 30 } as AppConfig,
      metrics,
      new GracefulShutdown(new ShutdownState()),
    );
  }

  const count = (collection: string, filter: Record<string, unknown> = {}) =>
    connection.collection(collection).countDocuments(filter);

  it('given deliveries older and newer than the retention period, when a pass runs, then the old finished ones go with their attempts and events, and the rest stay', async () => {
    const db = connection.db!;
    const oldSucceeded = await seedDelivery(db, {
      webhookId: WEBHOOK,
      event: 'old-ok',
      at: daysAgo(40),
      status: 'succeeded',
      responses: [500, 200],
    });
    const oldFailed = await seedDelivery(db, {
      webhookId: WEBHOOK,
      event: 'old-failed',
      at: daysAgo(31),
      status: 'failed',
      responses: [500],
    });
    const oldRetrying = await seedDelivery(db, {
      webhookId: WEBHOOK,
      event: 'old-retrying',
      at: daysAgo(35),
      status: 'retrying',
      responses: [503],
    });
    const recent = await seedDelivery(db, {
      webhookId: WEBHOOK,
      event: 'recent',
      at: daysAgo(29),
      status: 'succeeded',
      responses: [200],
    });

    const result = await pruner().runPass();

    expect(result).not.toBeNull();
    const ids = async (collection: string) =>
      (await connection.collection(collection).find({}).toArray()).map((d) => String(d._id));
    expect((await ids(DELIVERIES_COLLECTION)).sort()).toEqual([oldRetrying._id, recent._id].sort());
    // Every attempt and event of the old period goes; the recent one's stay.
    expect(await count(DELIVERY_ATTEMPTS_COLLECTION, { deliveryId: recent._id })).toBe(1);
    expect(await count(DELIVERY_ATTEMPTS_COLLECTION, { deliveryId: oldSucceeded._id })).toBe(0);
    expect(await count(DELIVERY_ATTEMPTS_COLLECTION, { deliveryId: oldFailed._id })).toBe(0);
    expect(await ids(PLATFORM_EVENTS_COLLECTION)).toEqual([recent.eventId]);
  });

  it('given thousands of expired deliveries in one second, when a pass runs, then all go in bounded steps and a newer one in the same hour stays', async () => {
    const summaries = connection.collection<StoredDelivery>(DELIVERIES_COLLECTION);
    const base = daysAgo(30, -3_600_000 - 5_000).getTime();
    const expired = Array.from({ length: 2_400 }, (_, i) =>
      storedDelivery({
        _id: `dlv_expired_${i}`,
        webhookId: WEBHOOK,
        eventId: `evt_${i}`,
        eventType: 'license.created',
        environment: 'production',
        status: i % 3 === 0 ? 'failed' : 'succeeded',
        attemptCount: 1,
        scheduledAttempts: 1,
        nextAttemptAt: null,
        requestedBy: null,
        lastAttempt: null,
        failureReason: i % 3 === 0 ? 'HTTP 500' : null,
        createdAt: new Date(base + (i % 1_000)),
        updatedAt: new Date(base + 1_000),
        finishedAt: new Date(base + 1_000),
      }),
    );
    await summaries.insertMany(expired);
    const scopes = scopesOf({ webhookId: WEBHOOK, eventType: 'license.created', status: 'failed' });
    await listInDirectory(
      connection.db!,
      expired.flatMap((stored) => entriesFor(scopes, stored.createdAt)),
    );
    // Less than the retention period old: the cutoff falls inside its hour, not before it.
    await listInDirectory(connection.db!, entriesFor(scopes, daysAgo(30, 60_000)));
    await summaries.insertOne(
      storedDelivery({
        _id: 'dlv_kept',
        webhookId: WEBHOOK,
        eventId: 'evt_kept',
        eventType: 'license.created',
        environment: 'production',
        status: 'succeeded',
        attemptCount: 1,
        scheduledAttempts: 1,
        nextAttemptAt: null,
        requestedBy: null,
        lastAttempt: null,
        failureReason: null,
        createdAt: daysAgo(30, 60_000),
        updatedAt: daysAgo(30, 61_000),
        finishedAt: daysAgo(30, 61_000),
      }),
    );

    const result = await pruner().runPass();

    expect(result?.deleted).toBe(2_400);
    expect((await summaries.find({}).toArray()).map((d) => d._id)).toEqual(['dlv_kept']);
    // The emptied slots left the directory; the kept delivery's are still listed.
    const tenths = await connection
      .collection<SlotEntry>(DELIVERY_SLOTS_COLLECTION)
      .find({ level: 4 })
      .toArray();
    expect(new Set(tenths.map((entry) => entry.slot))).toEqual(
      new Set([timeSlotsOf(daysAgo(30, 60_000)).byTenth]),
    );
  });

  it('given two workers, when both run a pass at once, then the lease lets one prune at a time and each record goes once', async () => {
    await seedDelivery(connection.db!, {
      webhookId: WEBHOOK,
      event: 'old',
      at: daysAgo(40),
      status: 'succeeded',
      responses: [200],
    });

    const [first, second] = await Promise.all([pruner().runPass(), pruner().runPass()]);

    expect((first?.deleted ?? 0) + (second?.deleted ?? 0)).toBe(3); // summary, attempt, event
    expect(await count(DELIVERIES_COLLECTION)).toBe(0);
  });

  it('given expired deliveries in several slots, when a pass runs, then the pruned counter moves with every step, not only when the pass ends', async () => {
    const base = daysAgo(31).getTime();
    for (let i = 0; i < 5; i++) {
      await seedDelivery(connection.db!, {
        webhookId: WEBHOOK,
        event: `slot-${i}`,
        at: new Date(base + i * 1_000),
        status: 'succeeded',
        responses: [200],
      });
    }
    const metrics = new RetentionMetrics(new Registry());
    const counted = async () => (await metrics.pruned.get()).values[0]?.value ?? 0;
    let passEnded = false;
    const pass = pruner(metrics)
      .runPass()
      .finally(() => (passEnded = true));

    // Each slot's step pauses before the next: the count is seen between steps.
    let seenMidway = 0;
    while (!passEnded && seenMidway === 0) {
      seenMidway = await counted();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await pass;

    expect(result?.deleted).toBe(15); // 5 summaries, 5 attempts, 5 events
    expect(seenMidway).toBeGreaterThan(0);
    expect(seenMidway).toBeLessThan(15);
    expect(await counted()).toBe(15);
  });

  it('given an expired event listed down to tenths of a second (the layout before events were listed by the second), when a pass runs, then the event and all its directory entries go', async () => {
    const receivedAt = daysAgo(31);
    await connection.collection(PLATFORM_EVENTS_COLLECTION).insertOne({
      _id: 'evt_old_layout',
      type: 'license.created',
      environment: 'production',
      body: '{}',
      webhookIds: [],
      receivedAt,
      ...timeSlotsOf(receivedAt),
    } as never);
    await listInDirectory(
      connection.db!,
      entriesFor([{ key: 'e', finest: FINEST_LEVEL }], receivedAt),
    );

    const result = await pruner().runPass();

    expect(result?.deleted).toBe(1);
    expect(await count(PLATFORM_EVENTS_COLLECTION)).toBe(0);
    expect(await count(DELIVERY_SLOTS_COLLECTION)).toBe(0);
  });
});
