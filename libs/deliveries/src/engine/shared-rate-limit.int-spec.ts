import type { Connection } from 'mongoose';
import { dropTestDatabase, openTestDatabase } from '../../../../test/support/test-database';
import { eventually } from '../../../../test/support/within';
import {
  DELIVERY_RATE_SLOTS_COLLECTION,
  SharedRateLimiter,
  type RateSlotDocument,
} from './shared-rate-limit';

// Two limiters stand for two worker processes: they share nothing but the database (FerretDB in
// the test run), and the cap must hold over both together.

let connection: Connection;

beforeAll(async () => {
  connection = await openTestDatabase('rate_slots');
});

afterAll(async () => {
  await dropTestDatabase(connection);
});

const slots = () => connection.collection<RateSlotDocument>(DELIVERY_RATE_SLOTS_COLLECTION);

/** A clock the test moves: both limiters read the same one, as synchronised hosts would. */
function sharedClock(start: number) {
  let now = start;
  return { now: () => now, set: (at: number) => (now = at) };
}

/** How many of `times` fall in each wall-clock second. */
function perSecond(times: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const at of times) {
    const second = Math.floor(at / 1000);
    counts.set(second, (counts.get(second) ?? 0) + 1);
  }
  return counts;
}

describe('SharedRateLimiter (two instances, one database)', () => {
  it('given a cap of 5/s, when two workers each ask for 5 slots at once, then together they hold at most 5 per second, each slot once', async () => {
    // Given
    const clock = sharedClock(Date.UTC(2026, 0, 1, 0, 0, 10, 0));
    const a = new SharedRateLimiter(slots(), 'worker-a', clock.now);
    const b = new SharedRateLimiter(slots(), 'worker-b', clock.now);
    const webhookId = 'wh-capped-1';

    // When: rounds of both asking at the same moment, over about two seconds
    const granted: number[] = [];
    for (let round = 0; round < 4; round++) {
      const [ofA, ofB] = await Promise.all([
        a.reserve(webhookId, 5, 5),
        b.reserve(webhookId, 5, 5),
      ]);
      granted.push(...ofA, ...ofB);
    }

    // Then
    expect(granted.length).toBeGreaterThanOrEqual(5);
    expect(new Set(granted).size).toBe(granted.length);
    for (const [, count] of perSecond(granted)) expect(count).toBeLessThanOrEqual(5);
    // Each time is a slot start of the cap: n/5 of a second.
    for (const at of granted) expect(at % 200).toBe(0);
    a.stop();
    b.stop();
  });

  it('given slots taken by one worker, when the other asks, then it gets the next free ones, not the same', async () => {
    const clock = sharedClock(Date.UTC(2026, 0, 1, 0, 1, 0, 0));
    const a = new SharedRateLimiter(slots(), 'worker-a', clock.now);
    const b = new SharedRateLimiter(slots(), 'worker-b', clock.now);
    const webhookId = 'wh-capped-2';

    const ofA = await a.reserve(webhookId, 2, 2);
    const ofB = await b.reserve(webhookId, 2, 2);

    const second = Date.UTC(2026, 0, 1, 0, 1, 0, 0);
    expect(ofA).toEqual([second, second + 500]);
    expect(ofB).toEqual([second + 1000, second + 1500]);
    a.stop();
    b.stop();
  });

  it('never hands out a slot whose window has passed', async () => {
    // 0.9 s into the second with a cap of 2: slot 1 (0.5 s) is 0.4 s old, past its 0.25 s grace.
    const clock = sharedClock(Date.UTC(2026, 0, 1, 0, 2, 0, 900));
    const a = new SharedRateLimiter(slots(), 'worker-a', clock.now);

    const granted = await a.reserve('wh-capped-3', 2, 1);

    expect(granted).toEqual([Date.UTC(2026, 0, 1, 0, 2, 1, 0)]);
    a.stop();
  });

  it('prunes the seconds it used once they are over, so the collection stays small', async () => {
    const start = Date.now();
    const a = new SharedRateLimiter(slots(), 'worker-a');
    const webhookId = 'wh-capped-4';
    await a.reserve(webhookId, 3, 3);
    expect(await slots().countDocuments({ webhookId })).toBe(3);

    await eventually(
      async () => (await slots().countDocuments({ webhookId })) === 0,
      'the used slots to be pruned',
      10_000,
    );
    expect(Date.now() - start).toBeGreaterThanOrEqual(2_000);
    a.stop();
  });

  it('at start-up removes slots a crashed worker left behind', async () => {
    const old = new Date(Date.now() - 120_000);
    await slots().insertOne({
      _id: 'wh-crashed:1:0',
      webhookId: 'wh-crashed',
      second: 1,
      n: 0,
      owner: 'gone',
      at: old,
    });
    const a = new SharedRateLimiter(slots(), 'worker-a');

    expect(await a.sweepAll(new Date(Date.now() - 60_000))).toBeGreaterThanOrEqual(1);
    expect(await slots().countDocuments({ webhookId: 'wh-crashed' })).toBe(0);
    a.stop();
  });
});
