import { DELIVERY_SLOTS_COLLECTION, SlotDirectoryWriter } from '../storage/slot-directory';
import type { Connection } from 'mongoose';
import { dropTestDatabase, openTestDatabase } from '../../../../test/support/test-database';
import { seedDueRetries } from '../../../../test/support/queue-seeds';
import { deferred, eventually, within } from '../../../../test/support/within';
import { DeliveryQueueRepository } from '../api/delivery-queue.repository';
import {
  DELIVERIES_COLLECTION,
  DELIVERY_ATTEMPTS_COLLECTION,
  DELIVERY_CLAIMS_COLLECTION,
  DELIVERY_QUEUE_COLLECTION,
  PLATFORM_EVENTS_COLLECTION,
  type DeliveryQueueDocument,
} from '../storage/delivery.documents';
import { ensureDeliveryIndexes } from '../storage/delivery-indexes';
import {
  DELIVERY_QUEUE_LANES_COLLECTION,
  DELIVERY_QUEUE_SLOTS_COLLECTION,
  inLane,
  SLOT_MS,
} from '../storage/queue-layout';
import { MongoQueueStore, type QueueCollections } from '../storage/queue-store';
import { DeliveryClaims } from './delivery-claims';
import { DeliveryDispatcher, type DispatchLimits } from './delivery-dispatcher';
import type { DeliveryJob } from './delivery-job';
import { DeliveryRecorder } from './delivery-recorder';
import { EventBodies } from './event-bodies';
import { QueuePoller } from './queue-poller';

const minutesAgo = (n: number) => new Date(Date.now() - n * SLOT_MS);

/**
 * One worker's queue side on the real database: the poller, claims, recorder and event bodies as
 * the engine wires them, and a dispatcher whose "request" is the test's: it checks the attempt
 * is not recorded yet (as AttemptRunner does), then either records it as succeeded or, for the
 * webhooks in `hanging`, holds it until the test ends.
 */
function worker(
  connection: Connection,
  name: string,
  limits: Partial<DispatchLimits>,
  hanging: string[] = [],
) {
  const stopping = new AbortController();
  const collections: QueueCollections = {
    queue: connection.collection(DELIVERY_QUEUE_COLLECTION),
    lanes: connection.collection(DELIVERY_QUEUE_LANES_COLLECTION),
    slots: connection.collection(DELIVERY_QUEUE_SLOTS_COLLECTION),
  };
  const claims = new DeliveryClaims(
    connection.collection(DELIVERY_CLAIMS_COLLECTION),
    name,
    stopping.signal,
  );
  const recorder = new DeliveryRecorder(
    {
      ...collections,
      attempts: connection.collection(DELIVERY_ATTEMPTS_COLLECTION),
      deliveries: connection.collection(DELIVERIES_COLLECTION),
    },
    claims,
    new SlotDirectoryWriter(connection.collection(DELIVERY_SLOTS_COLLECTION)),
    stopping.signal,
  );
  const sent: DeliveryJob[] = [];
  const watchers: { count: number; done: () => void; of: (job: DeliveryJob) => boolean }[] = [];
  const hung: (() => void)[] = [];
  const dispatcher = new DeliveryDispatcher(
    { concurrency: 16, perWebhook: 4, perHost: 100, backlogPerWebhook: 100, ...limits },
    async (job, release) => {
      if (await recorder.recorded(job.id, job.attempt)) {
        release();
        return;
      }
      sent.push(job);
      for (const watcher of watchers) {
        if (watcher.of(job) && --watcher.count === 0) watcher.done();
      }
      if (hanging.includes(job.webhookId)) {
        await new Promise<void>((resolve) => hung.push(resolve));
        release();
        return;
      }
      release();
      const at = new Date();
      await recorder.record(job, {
        deliveryId: job.id,
        webhookId: job.webhookId,
        eventId: job.eventId,
        number: job.attempt,
        at,
        trigger: job.trigger,
        requestedBy: job.requestedBy,
        url: 'http://receiver.test/hooks',
        requestHeaders: {},
        responseStatus: 204,
        responseBody: null,
        durationMs: 1,
        error: null,
        outcome: { status: 'succeeded' },
        scheduledAttempts: job.scheduledAttempts + 1,
      });
    },
    () => Promise.resolve(),
    (job) => job.webhookId,
  );
  const poller = new QueuePoller(
    new MongoQueueStore(collections),
    claims,
    dispatcher,
    new EventBodies(connection.collection(PLATFORM_EVENTS_COLLECTION), stopping.signal),
    {
      intervalMs: 100,
      leaseMs: 60_000,
      hostOf: (webhookId) => webhookId,
      failWithoutBody: () => Promise.resolve(),
      now: () => new Date(),
    },
  );
  return {
    poller,
    sent,
    /** Resolves once `count` attempts matching `of` have been sent by this worker. */
    sends(count: number, of: (job: DeliveryJob) => boolean = () => true) {
      const { promise, resolve } = deferred();
      const already = sent.filter(of).length;
      if (already >= count) resolve();
      else watchers.push({ count: count - already, done: resolve, of });
      return promise;
    },
    async stop() {
      await poller.stop();
      for (const resolve of hung.splice(0)) resolve();
      dispatcher.stop();
      // Every record under way written before the writers stop (no shutdown noise in the log).
      await eventually(() => dispatcher.inFlight === 0, 'the records under way', 10_000);
      stopping.abort();
      recorder.stop();
      claims.stop();
    },
  };
}

describe('QueuePoller (real database)', () => {
  let connection: Connection;
  const workers: ReturnType<typeof worker>[] = [];
  const start = (...args: Parameters<typeof worker>) => {
    const made = worker(...args);
    workers.push(made);
    return made;
  };

  beforeEach(async () => {
    connection = await openTestDatabase('queue_poller');
    await ensureDeliveryIndexes(connection);
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await dropTestDatabase(connection);
  });

  it('given a backlog of due retries, when a retry is asked for through the api, then it is sent first', async () => {
    await seedDueRetries(connection.db!, [
      { webhookId: 'wh-dead', count: 300, dueAt: (n) => minutesAgo(1 + (n % 5)) },
    ]);
    // A "retry now" of another webhook's delivery, written as the api writes it.
    const [scheduled] = await seedDueRetries(connection.db!, [
      { webhookId: 'wh-ok', count: 1, dueAt: () => minutesAgo(-60) },
    ]);
    const requested: DeliveryQueueDocument = inLane({
      ...scheduled,
      _id: `${scheduled._id}:now`,
      trigger: 'manual',
      requestedBy: 'user:admin',
      dueAt: new Date(),
    });
    expect(await new DeliveryQueueRepository(connection).insert(requested)).toBe(true);
    const one = start(connection, 'w1', { concurrency: 1, perWebhook: 1 });

    one.poller.start();
    await within(one.sends(2), 10_000, 'two attempts');

    expect(one.sent[0]).toMatchObject({ id: scheduled.deliveryId, trigger: 'manual' });
  });

  it("given one webhook's backlog of thousands of due retries hanging, when others' retries come due, then they are sent at once", async () => {
    await seedDueRetries(connection.db!, [
      { webhookId: 'wh-dead', count: 3_000, dueAt: (n) => minutesAgo(1 + (n % 30)) },
      { webhookId: 'wh-a', count: 3, dueAt: (n) => minutesAgo([45, 2, 0.05][n]) },
      { webhookId: 'wh-b', count: 2, dueAt: (n) => minutesAgo([0.02, 10][n]) },
    ]);
    const one = start(connection, 'w1', { concurrency: 16, perWebhook: 4 }, ['wh-dead']);
    const others = one.sends(5, (job) => job.webhookId !== 'wh-dead');

    const started = Date.now();
    one.poller.start();
    await within(others, 5_000, "the other webhooks' 5 retries");

    expect(Date.now() - started).toBeLessThan(5_000);
    // The backlog holds only its own slots: its 4 hang, and no more are taken beside them.
    const dead = () => one.sent.filter((job) => job.webhookId === 'wh-dead');
    await eventually(() => dead().length >= 4, "wh-dead's 4 sends", 10_000);
    await one.poller.poll();
    expect(dead()).toHaveLength(4);
    // And the others' entries left the queue once recorded.
    const queue = connection.collection(DELIVERY_QUEUE_COLLECTION);
    await eventually(
      async () => (await queue.countDocuments({ webhookId: 'wh-a' })) === 0,
      "wh-a's entries removed",
      5_000,
    );
  });

  it('given a worker restarted after retries came due hours ago and a moment ago, when it starts, then it sends every one of them', async () => {
    const before = start(connection, 'w1', {});
    before.poller.start();
    await before.poller.stop();
    const seeded = await seedDueRetries(connection.db!, [
      { webhookId: 'wh-a', count: 4, dueAt: (n) => minutesAgo([180, 61, 1.5, 0.01][n]) },
      { webhookId: 'wh-b', count: 2, dueAt: (n) => minutesAgo([1_440 * 3, 0.5][n]) },
    ]);

    const after = start(connection, 'w2', {});
    after.poller.start();
    await within(after.sends(6), 10_000, 'the 6 due retries');

    expect(after.sent.map((job) => job.id).sort()).toEqual(
      seeded.map((entry) => entry.deliveryId).sort(),
    );
  });

  it('given two workers polling one queue, when they work it off, then every attempt is made once', async () => {
    const seeded = await seedDueRetries(
      connection.db!,
      Array.from({ length: 8 }, (_, w) => ({
        webhookId: `wh-${w}`,
        count: 50,
        dueAt: (n: number) => minutesAgo(n % 3),
      })),
    );
    const one = start(connection, 'w1', { concurrency: 8, perWebhook: 2 });
    const two = start(connection, 'w2', { concurrency: 8, perWebhook: 2 });
    const attempts = connection.collection(DELIVERY_ATTEMPTS_COLLECTION);

    one.poller.start();
    two.poller.start();
    await eventually(
      async () => (await attempts.countDocuments({})) >= seeded.length,
      `${seeded.length} attempts recorded`,
      60_000,
    );

    const sentKeys = [...one.sent, ...two.sent].map((job) => `${job.id}:${job.attempt}`);
    expect(sentKeys).toHaveLength(seeded.length);
    expect(new Set(sentKeys).size).toBe(seeded.length);
    expect(one.sent.length).toBeGreaterThan(0);
    expect(two.sent.length).toBeGreaterThan(0);
    expect(await attempts.countDocuments({ duplicateOf: { $exists: true } })).toBe(0);
  });
});
