import { FixedClock } from '../clock';
import { InMemoryLeaseStore } from '../testing/in-memory-lease-store';
import { Lease } from './lease';

describe('Lease', () => {
  const TTL = 10_000;
  let store: InMemoryLeaseStore;
  let clock: FixedClock;
  const lease = (owner: string, options: { renewIntervalMs?: number } = {}) =>
    new Lease(store, 'pruner', { ttlMs: TTL, owner, clock, ...options });

  beforeEach(() => {
    store = new InMemoryLeaseStore();
    clock = new FixedClock(new Date('2026-03-01T10:00:00Z'));
  });

  it('given no claim yet, when acquired, then epoch 1 is held for the TTL', async () => {
    const a = lease('a');

    expect(await a.acquire()).toBe(true);

    expect(a.epoch).toBe(1);
    expect(a.expiresAt).toEqual(new Date('2026-03-01T10:00:10Z'));
    expect(a.isHeld()).toBe(true);
    expect(await a.latest()).toMatchObject({ _id: 'pruner#1', epoch: 1, owner: 'a' });
  });

  it('given a live holder, when another acquires, then it does not get the lease until the claim expires', async () => {
    const a = lease('a');
    const b = lease('b');
    await a.acquire();

    expect(await b.acquire()).toBe(false);
    clock.advance(TTL - 1);
    expect(await b.acquire()).toBe(false);
    expect(b.isHeld()).toBe(false);

    clock.advance(1);
    expect(await b.acquire()).toBe(true);
    expect(b.epoch).toBe(2);
    expect(a.isHeld()).toBe(false);
  });

  it('given a holder that renews, then it keeps the lease past the first TTL and only its latest claim is kept', async () => {
    const a = lease('a');
    const b = lease('b');
    await a.acquire();

    for (let i = 0; i < 3; i++) {
      clock.advance(TTL / 2);
      expect(await a.renew()).toBe(true);
      expect(await b.acquire()).toBe(false);
    }

    expect(a.epoch).toBe(4);
    expect(a.expiresAt).toEqual(new Date(clock.now().getTime() + TTL));
    expect(store.epochsOf('pruner')).toEqual([4]);
  });

  it('given someone took over after the claim expired, when the old holder renews, then its insert is lost and it stops holding', async () => {
    const a = lease('a');
    const b = lease('b');
    await a.acquire();
    clock.advance(TTL);
    await b.acquire();

    clock.set(new Date('2026-03-01T10:00:05Z')); // even a clock that says the claim still runs
    expect(await a.renew()).toBe(false);

    expect(a.isHeld()).toBe(false);
    expect(a.epoch).toBeUndefined();
    expect(await b.latest()).toMatchObject({ epoch: 2, owner: 'b' });
  });

  it('given the holder acquires again, then it renews its claim', async () => {
    const a = lease('a');
    await a.acquire();
    clock.advance(TTL / 2);

    expect(await a.acquire()).toBe(true);

    expect(a.epoch).toBe(2);
    expect(a.expiresAt).toEqual(new Date(clock.now().getTime() + TTL));
  });

  it('given a claim that ran out unrenewed, when renewed, then it is lost without writing, even if nobody took over', async () => {
    const a = lease('a');
    await a.acquire();
    clock.advance(TTL);

    expect(await a.renew()).toBe(false);

    expect(store.epochsOf('pruner')).toEqual([1]);
    // It may compete again like anyone else.
    expect(await a.acquire()).toBe(true);
    expect(a.epoch).toBe(2);
  });

  it('given a holder that releases, then another acquires at once and epochs keep growing', async () => {
    const a = lease('a');
    const b = lease('b');
    await a.acquire();

    await a.release();

    expect(a.isHeld()).toBe(false);
    expect(await b.acquire()).toBe(true);
    expect(b.epoch).toBe(3); // 2 was the release
    expect(store.epochsOf('pruner')).toEqual([3]);
    await a.release(); // not held: nothing happens
    expect(store.epochsOf('pruner')).toEqual([3]);
  });

  it('given a claimant stalled between reading and inserting, when it lands in a pruned epoch below the holder, then it does not count', async () => {
    const a = lease('a');
    const b = lease('b');
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    store.beforeInsert = async (record) => {
      if (record.owner === 'a') await stalled;
    };
    const aAcquiring = a.acquire(); // reads "no claim", then stalls before inserting epoch 1
    await new Promise((resolve) => setImmediate(resolve));
    await b.acquire(); // epoch 1
    clock.advance(TTL / 2);
    await b.renew(); // epoch 2, epoch 1 pruned

    release();

    expect(await aAcquiring).toBe(false);
    expect(a.isHeld()).toBe(false);
    expect(store.epochsOf('pruner')).toEqual([2]);
    expect(b.isHeld()).toBe(true);
  });

  it('given many claimants at once, then exactly one holds the lease', async () => {
    const claimants = Array.from({ length: 10 }, (_, i) => lease(`c${i}`));

    const results = await Promise.all(claimants.map((claimant) => claimant.acquire()));

    expect(results.filter(Boolean)).toHaveLength(1);
    expect(claimants.filter((claimant) => claimant.isHeld())).toHaveLength(1);
  });

  it('reports whether enough of the claim is left', async () => {
    const a = lease('a');
    expect(a.isHeld()).toBe(false);
    await a.acquire();
    clock.advance(TTL - 2000);

    expect(a.isHeld(1999)).toBe(true);
    expect(a.isHeld(2000)).toBe(false);
  });

  it('given keep, then it renews on its own and reports the loss when another process takes over', async () => {
    const a = lease('a', { renewIntervalMs: 5 });
    await a.acquire();
    const lost = new Promise<void>((resolve) => a.keep(resolve));
    while (a.epoch! < 3) await new Promise((resolve) => setTimeout(resolve, 5));

    // Another process claims the next epoch (as after an expiry it would).
    const next = a.epoch! + 1;
    store.records.set(`pruner#${next}`, {
      _id: `pruner#${next}`,
      name: 'pruner',
      epoch: next,
      owner: 'b',
      expiresAt: new Date(clock.now().getTime() + TTL),
      createdAt: clock.now(),
    });

    await lost;
    expect(a.isHeld()).toBe(false);
  });

  it('refuses a renewal interval that is not shorter than the TTL', () => {
    expect(() => new Lease(store, 'x', { ttlMs: 100, renewIntervalMs: 100 })).toThrow(
      /renewIntervalMs must be shorter than ttlMs/,
    );
    expect(() => new Lease(store, 'x', { ttlMs: 0 })).toThrow(/ttlMs must be positive/);
  });
});
