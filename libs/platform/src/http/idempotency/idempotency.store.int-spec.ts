import { randomBytes } from 'node:crypto';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { eventually } from '../../../../../test/support/delivery-rig';
import { dropTestDatabase, openTestDatabase } from '../../../../../test/support/test-database';
import { SecretBox, SecretDecryptionError } from '../../crypto/secret-box';
import type { IdempotencyClaim } from './idempotency-claim';
import { IDEMPOTENCY_COLLECTION, type IdempotencyRecordDocument } from './idempotency-record';
import { IdempotencyPruner } from './idempotency.pruner';
import { IdempotencyStore, type IdempotencyAdmission } from './idempotency.store';

const HOUR = 3_600_000;
const LEASE_MS = 60_000;

/** A clock that moves only when told to. */
class TestClock {
  private current = new Date('2026-03-01T12:00:00.000Z').getTime();
  readonly now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current += ms;
  }
}

const created = {
  status: 201,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    location: '/api/v1/webhooks/w-1',
    etag: '"1"',
  },
  body: Buffer.from('{"id":"w-1","secret":"whsec_c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3QtbGVhaw=="}'),
};

function claimOf(admission: IdempotencyAdmission): IdempotencyClaim {
  if (admission.outcome !== 'run') throw new Error(`expected to run, got ${admission.outcome}`);
  return admission.claim;
}

describe('IdempotencyStore on the real database', () => {
  let connection: Connection;
  let records: Collection<IdempotencyRecordDocument>;
  let clock: TestClock;
  let box: SecretBox;
  let store: IdempotencyStore;
  const scope = () => randomBytes(32).toString('hex');

  beforeAll(async () => {
    connection = await openTestDatabase('idempotency_store');
    records = connection.collection<IdempotencyRecordDocument>(IDEMPOTENCY_COLLECTION);
    box = new SecretBox(randomBytes(32));
  });

  beforeEach(async () => {
    clock = new TestClock();
    store = new IdempotencyStore(records, box, {
      ttlMs: 24 * HOUR,
      leaseMs: LEASE_MS,
      now: clock.now,
    });
    await store.ensureIndexes();
  });

  afterEach(() => store.close());
  afterAll(() => dropTestDatabase(connection));

  it('declares its indexes on a server without TTL indexes too (FerretDB), and again without error', async () => {
    await store.ensureIndexes();

    const names = (await records.indexes()).map((index) =>
      Object.keys(index.key as object).join(','),
    );
    expect(names).toEqual(expect.arrayContaining(['scope,epoch', 'expiresAt']));
  });

  it('given a new key, when admitted, then it runs; a repeat meanwhile is in progress, another body is a reuse', async () => {
    const key = scope();

    const first = claimOf(await store.admit(key, 'body-a'));

    expect(first.scope).toBe(key);
    expect(await store.admit(key, 'body-a')).toEqual({ outcome: 'in-progress' });
    expect(await store.admit(key, 'body-b')).toEqual({ outcome: 'reused' });
    const record = await records.findOne({ scope: key });
    expect(record).toMatchObject({
      _id: `${key}.0`,
      epoch: 0,
      state: 'in-progress',
      fingerprint: 'body-a',
      leaseUntil: new Date(clock.now().getTime() + LEASE_MS),
      expiresAt: new Date(clock.now().getTime() + 24 * HOUR),
    });
  });

  it('given a completed run, when repeated with the same body, then its response comes back byte for byte', async () => {
    const key = scope();
    await claimOf(await store.admit(key, 'body-a')).complete(created);

    const repeat = await store.admit(key, 'body-a');

    expect(repeat).toEqual({ outcome: 'replay', response: created });
    expect(await store.admit(key, 'body-b')).toEqual({ outcome: 'reused' });
  });

  it('given a completed run, when its record is read raw, then the response is encrypted and bound to the record', async () => {
    const key = scope();
    const other = scope();
    await claimOf(await store.admit(key, 'body-a')).complete(created);
    await claimOf(await store.admit(other, 'body-a')).complete({ ...created, status: 200 });

    const raw = await records.findOne({ _id: `${key}.0` });

    expect(JSON.stringify(raw)).not.toContain('whsec_');
    expect(JSON.stringify(raw)).not.toContain(created.body.toString('base64'));
    expect(raw).toMatchObject({ state: 'completed', status: 201 });
    // Moved onto another record, the ciphertext does not open: it is bound to its own _id.
    await records.updateOne({ _id: `${other}.0` }, { $set: { response: raw!.response } });
    await expect(store.admit(other, 'body-a')).rejects.toBeInstanceOf(SecretDecryptionError);
  });

  it('given a released run (a 5xx), when retried, then it runs again, with any body', async () => {
    const key = scope();
    await claimOf(await store.admit(key, 'body-a')).release();

    expect(await records.countDocuments({ scope: key })).toBe(0);
    const again = claimOf(await store.admit(key, 'body-b'));
    expect(again.recordId).toBe(`${key}.0`);
  });

  it('given many concurrent first requests, when admitted, then exactly one runs and the others are in progress', async () => {
    const key = scope();

    const admissions = await Promise.all(
      Array.from({ length: 20 }, () => store.admit(key, 'body-a')),
    );

    expect(admissions.filter((admission) => admission.outcome === 'run')).toHaveLength(1);
    expect(admissions.filter((admission) => admission.outcome === 'in-progress')).toHaveLength(19);
    expect(await records.countDocuments({ scope: key })).toBe(1);
  });

  it('given two stores (two api processes), when both admit one key at once, then exactly one runs', async () => {
    const key = scope();
    const second = new IdempotencyStore(records, box, {
      ttlMs: HOUR,
      leaseMs: LEASE_MS,
      now: clock.now,
    });

    const admissions = await Promise.all(
      Array.from({ length: 10 }, (_, index) => (index % 2 ? second : store).admit(key, 'body-a')),
    );

    expect(admissions.filter((admission) => admission.outcome === 'run')).toHaveLength(1);
    second.close();
  });

  it('given an owner that stopped renewing its lease (it died), when the lease lapses, then exactly one retry takes over as the next run', async () => {
    const key = scope();
    const dead = claimOf(await store.admit(key, 'body-a'));
    dead.stopRenewal();

    clock.advance(LEASE_MS - 1);
    expect(await store.admit(key, 'body-a')).toEqual({ outcome: 'in-progress' });
    clock.advance(1);
    const takeovers = await Promise.all(
      Array.from({ length: 5 }, () => store.admit(key, 'body-a')),
    );

    const runs = takeovers.filter((admission) => admission.outcome === 'run');
    expect(runs).toHaveLength(1);
    const takeover = claimOf(runs[0]);
    expect(takeover.recordId).toBe(`${key}.1`);
    expect(takeover.scope).toBe(dead.scope);
    // The presumed-dead owner finishing late changes nothing: the latest run decides.
    await dead.complete({ ...created, status: 200 });
    expect(await store.admit(key, 'body-a')).toEqual({ outcome: 'in-progress' });
    await takeover.complete(created);
    expect(await store.admit(key, 'body-a')).toEqual({ outcome: 'replay', response: created });
  });

  it('given a taken-over run with another body, when the lease lapses, then the key still belongs to the first body', async () => {
    const key = scope();
    claimOf(await store.admit(key, 'body-a')).stopRenewal();
    clock.advance(LEASE_MS);

    expect(await store.admit(key, 'body-b')).toEqual({ outcome: 'reused' });
  });

  it('given a slow request, when its lease would lapse, then its owner has renewed it and nobody takes over', async () => {
    const realStore = new IdempotencyStore(records, box, { ttlMs: HOUR, leaseMs: 300 });
    const key = scope();
    const claim = claimOf(await realStore.admit(key, 'body-a'));
    const firstLease = (await records.findOne({ _id: claim.recordId }))!.leaseUntil.getTime();

    await eventually(
      async () => {
        const lease = (await records.findOne({ _id: claim.recordId }))!.leaseUntil.getTime();
        return Date.now() > firstLease + 50 && lease > Date.now();
      },
      'the lease to be renewed past its first end',
      5_000,
    );
    expect(await realStore.admit(key, 'body-a')).toEqual({ outcome: 'in-progress' });

    await claim.complete(created);
    expect(await realStore.admit(key, 'body-a')).toEqual({ outcome: 'replay', response: created });
    realStore.close();
  });

  it('given an expired record not yet pruned, when the key comes again, then it is free: a new run with any body', async () => {
    const key = scope();
    await claimOf(await store.admit(key, 'body-a')).complete(created);

    clock.advance(24 * HOUR);
    const again = claimOf(await store.admit(key, 'body-b'));

    expect(again.recordId).toBe(`${key}.1`);
  });

  it('given expired and live records, when pruned in small batches, then only the expired ones go', async () => {
    await records.deleteMany({});
    const pruneClock = new TestClock();
    const shortLived = new IdempotencyStore(records, box, {
      ttlMs: HOUR,
      leaseMs: LEASE_MS,
      now: pruneClock.now,
    });
    const expiring = [scope(), scope(), scope(), scope(), scope()];
    for (const key of expiring) await claimOf(await shortLived.admit(key, 'b')).complete(created);
    pruneClock.advance(HOUR / 2);
    const live = scope();
    await claimOf(await shortLived.admit(live, 'b')).complete(created);
    pruneClock.advance(HOUR / 2);

    expect(await shortLived.pruneExpired(2)).toBe(2);
    const pruner = new IdempotencyPruner(shortLived, {
      intervalMs: 60_000,
      batchSize: 2,
      maxBatchesPerRun: 10,
    });
    expect(await pruner.runOnce()).toBe(3);

    expect(
      await records
        .find({})
        .map((record) => record.scope)
        .toArray(),
    ).toEqual([live]);
    shortLived.close();
  });

  it('given more expired records than a run may take, when pruned, then the run stops at its bound', async () => {
    await records.deleteMany({});
    const pruneClock = new TestClock();
    const shortLived = new IdempotencyStore(records, box, {
      ttlMs: HOUR,
      leaseMs: LEASE_MS,
      now: pruneClock.now,
    });
    for (let index = 0; index < 5; index++) {
      claimOf(await shortLived.admit(scope(), 'b')).stopRenewal();
    }
    pruneClock.advance(HOUR);

    const pruner = new IdempotencyPruner(shortLived, {
      intervalMs: 60_000,
      batchSize: 1,
      maxBatchesPerRun: 3,
    });

    expect(await pruner.runOnce()).toBe(3);
    expect(await records.countDocuments({})).toBe(2);
    shortLived.close();
  });
});
