import mongoose, { type Connection } from 'mongoose';
import { dropTestDatabase, openTestDatabase } from '../../../../test/support/test-database';
import { FixedClock, SystemClock } from '../clock';
import { Lease } from './lease';
import { MongoLeaseStore } from './lease-store';

describe('Lease on the real database', () => {
  let connection: Connection;
  let others: Connection[];

  beforeAll(async () => {
    connection = await openTestDatabase('leases');
    // Separate connections, as separate processes would have.
    others = await Promise.all(
      [1, 2, 3].map(() =>
        mongoose
          .createConnection(uriOf(connection), {
            autoIndex: false,
          })
          .asPromise(),
      ),
    );
  });

  afterAll(async () => {
    await Promise.all(others.map((other) => other.close()));
    await dropTestDatabase(connection);
  });

  const records = (name: string) =>
    connection.db!.collection('leases').find({ name }).sort({ epoch: 1 }).toArray();

  it('gives the lease to exactly one of many concurrent claimants, every round', async () => {
    const connections = [connection, ...others];
    for (let round = 0; round < 10; round++) {
      const name = `race-${round}`;
      const claimants = Array.from(
        { length: 8 },
        (_, i) =>
          new Lease(new MongoLeaseStore(connections[i % connections.length]), name, {
            ttlMs: 30_000,
            owner: `claimant-${i}`,
          }),
      );

      const won = await Promise.all(claimants.map((claimant) => claimant.acquire()));

      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = claimants[won.indexOf(true)];
      expect((await records(name)).map(({ epoch, owner }) => ({ epoch, owner }))).toEqual([
        { epoch: 1, owner: winner.owner },
      ]);
    }
  });

  it('lets another process take over once the holder stops renewing, and the old holder then learns it lost', async () => {
    const clock = new FixedClock();
    const holder = new Lease(new MongoLeaseStore(connection), 'takeover', {
      ttlMs: 5000,
      clock,
      owner: 'holder',
    });
    const other = new Lease(new MongoLeaseStore(others[0]), 'takeover', {
      ttlMs: 5000,
      clock,
      owner: 'other',
    });
    expect(await holder.acquire()).toBe(true);
    clock.advance(3000);
    expect(await holder.renew()).toBe(true);
    clock.advance(4999);
    expect(await other.acquire()).toBe(false);

    clock.advance(1); // the holder's last claim (renewed at 3000 ms) has now expired
    expect(await other.acquire()).toBe(true);

    expect(other.epoch).toBe(3);
    expect(await holder.renew()).toBe(false);
    expect((await records('takeover')).map(({ epoch, owner }) => ({ epoch, owner }))).toEqual([
      { epoch: 3, owner: 'other' },
    ]);
  });

  it('hands the lease over at once on release', async () => {
    const holder = new Lease(new MongoLeaseStore(connection), 'handover', { ttlMs: 60_000 });
    const other = new Lease(new MongoLeaseStore(others[1]), 'handover', { ttlMs: 60_000 });
    await holder.acquire();
    expect(await other.acquire()).toBe(false);

    await holder.release();

    expect(await other.acquire()).toBe(true);
    expect((await records('handover')).map(({ epoch }) => epoch)).toEqual([3]);
  });

  it('keeps the lease by renewing on its own, and loses it after the TTL once abandoned', async () => {
    const clock = new SystemClock();
    const holder = new Lease(new MongoLeaseStore(connection), 'kept', { ttlMs: 600, clock });
    const other = new Lease(new MongoLeaseStore(others[2]), 'kept', { ttlMs: 600, clock });
    await holder.acquire();
    let lost = false;
    holder.keep(() => (lost = true));

    // Three TTLs go by: the holder's renewals keep the other out.
    const until = Date.now() + 1800;
    while (Date.now() < until) {
      expect(await other.acquire()).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(holder.epoch).toBeGreaterThan(3);
    expect(lost).toBe(false);

    holder.stopKeeping(); // as if the process hung or died
    const abandonedAt = Date.now();
    while (!(await other.acquire())) await new Promise((resolve) => setTimeout(resolve, 20));

    expect(Date.now() - abandonedAt).toBeLessThan(600 + 500);
    expect(holder.isHeld()).toBe(false);
    await other.release();
  });
});

function uriOf(connection: Connection): string {
  const base = new URL(process.env.MONGODB_URI!);
  base.pathname = `/${connection.name}`;
  return base.toString();
}
