import type { Connection } from 'mongoose';
import { dropTestDatabase, openTestDatabase } from '../../../test/support/test-database';
import { FixedClock } from './clock';
import { ConcurrencyError, InvalidAppendError } from './errors';
import { EventStore } from './event-store';
import { testEvent } from './testing/event-factory';
import { UpcasterRegistry } from './upcasters';

describe('EventStore on the real database', () => {
  let connection: Connection;
  let clock: FixedClock;
  let store: EventStore;

  beforeAll(async () => {
    connection = await openTestDatabase('event_store');
    clock = new FixedClock(new Date('2026-03-01T12:00:00.000Z'));
    store = new EventStore(connection, clock);
    await store.init();
  });

  afterAll(() => dropTestDatabase(connection));

  it('stores events with versions, positions, time from the clock and metadata', async () => {
    const first = testEvent('WebhookCreated', { name: 'CRM Sync' });
    const result = await store.append('webhook-a', 0, [first, testEvent('WebhookActivated')]);

    expect(result.version).toBe(2);
    expect(result.lastPosition).toBe(result.firstPosition + 1);
    const events = await store.readStream('webhook-a');
    expect(events.map((event) => [event.type, event.version, event.schemaVersion])).toEqual([
      ['WebhookCreated', 1, 1],
      ['WebhookActivated', 2, 1],
    ]);
    expect(events[0]).toMatchObject({
      id: first.id,
      streamId: 'webhook-a',
      position: result.firstPosition,
      recordedAt: new Date('2026-03-01T12:00:00.000Z'),
      data: { name: 'CRM Sync' },
      metadata: first.metadata,
    });
  });

  it('rejects a stale expected version and writes nothing', async () => {
    await store.append('webhook-b', 0, [testEvent()]);
    const positionBefore = await store.headPosition();

    await expect(store.append('webhook-b', 0, [testEvent()])).rejects.toMatchObject({
      name: 'ConcurrencyError',
      expectedVersion: 0,
      actualVersion: 1,
    });
    await expect(store.append('webhook-b', 3, [testEvent()])).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    expect(await store.readStream('webhook-b')).toHaveLength(1);
    expect(await store.headPosition()).toBe(positionBefore);
  });

  it('lets exactly one of many concurrent writers commit each version of a stream', async () => {
    const stream = 'webhook-contended';
    const writers = 8;
    for (let version = 0; version < 5; version++) {
      const outcomes = await Promise.allSettled(
        Array.from({ length: writers }, () => store.append(stream, version, [testEvent()])),
      );
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(won).toHaveLength(1);
      for (const outcome of lost) expect(outcome.reason).toBeInstanceOf(ConcurrencyError);
    }
    const events = await store.readStream(stream);
    expect(events.map((event) => event.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it("appends with 'any' wherever the stream is, even under contention", async () => {
    await Promise.all(
      Array.from({ length: 6 }, () => store.append('webhook-any', 'any', [testEvent()])),
    );
    const events = await store.readStream('webhook-any');
    expect(events.map((event) => event.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads a stream between versions and as of a point in time', async () => {
    clock.set(new Date('2026-04-01T00:00:00.000Z'));
    await store.append('webhook-time', 0, [testEvent('A')]);
    clock.set(new Date('2026-04-02T00:00:00.000Z'));
    await store.append('webhook-time', 1, [testEvent('B'), testEvent('C')]);
    clock.set(new Date('2026-04-03T00:00:00.000Z'));
    await store.append('webhook-time', 3, [testEvent('D')]);

    const types = (events: { type: string }[]) => events.map((event) => event.type);
    expect(types(await store.readStream('webhook-time', { fromVersion: 2, toVersion: 3 }))).toEqual(
      ['B', 'C'],
    );
    expect(
      types(await store.readStream('webhook-time', { asOf: new Date('2026-04-02T12:00:00Z') })),
    ).toEqual(['A', 'B', 'C']);
    expect(
      await store.readStream('webhook-time', { asOf: new Date('2026-03-31T00:00:00Z') }),
    ).toEqual([]);
    expect(await store.readStream('no-such-stream')).toEqual([]);
  });

  it('reads all events in global order from a position', async () => {
    const start = await store.headPosition();
    await store.append('webhook-g1', 0, [testEvent('G1')]);
    await store.append('webhook-g2', 0, [testEvent('G2'), testEvent('G3')]);

    const { events, position } = await store.readAll(start);
    expect(events.map((event) => event.type)).toEqual(['G1', 'G2', 'G3']);
    // One sequence per commit; its events are numbered within it.
    const [g1, g2, g3] = events.map((event) => event.position);
    expect(g1).toBeGreaterThan(start);
    expect(g2 - (g2 % 1000)).toBe(g1 + 1000);
    expect(g3).toBe(g2 + 1);
    expect(position).toBe(g3);
    expect(await store.headPosition()).toBe(g3);
    // A page ends at a commit boundary: the events of one append are never split.
    const firstPage = await store.readAll(start, 1);
    expect(firstPage.events.map((event) => event.type)).toEqual(['G1']);
    const secondPage = await store.readAll(firstPage.position, 1);
    expect(secondPage.events.map((event) => event.type)).toEqual(['G2', 'G3']);
  });

  it('reads the log past its first commits one by one and then by bucket, without a gap', async () => {
    const start = await store.headPosition();
    // More commits than a read fetches one by one, so the rest comes from the bucket read.
    for (let index = 0; index < 20; index++) {
      await store.append(`webhook-tail-${index}`, 0, [testEvent(`T${index}`)]);
    }
    const batch = await store.readLog(start, 1000);
    expect(batch.torn).toBe(false);
    expect(store.eventsOf(batch.commits).map((event) => event.type)).toEqual(
      Array.from({ length: 20 }, (_, index) => `T${index}`),
    );
    const sequences = batch.commits.map((commit) => commit.sequence);
    expect(sequences).toEqual(sequences.map((_, index) => sequences[0] + index));
    // At the end: nothing more, and the head found from a known position is the same.
    expect((await store.readLog(batch.position, 1000)).commits).toEqual([]);
    expect(await store.headPosition(batch.position)).toBe(batch.position);
    expect(await store.headPosition(start)).toBe(batch.position);
    expect(await store.headPosition()).toBe(batch.position);
  });

  it('reads an old event shape as the new one through the upcaster chain', async () => {
    const upcasters = new UpcasterRegistry()
      .register('SecretRotated', 1, (event) => ({
        ...event,
        schemaVersion: 2,
        data: { ...(event.data as object), graceHours: 24 },
      }))
      .register('SecretRotated', 2, (event) => ({
        type: 'WebhookSecretRotated',
        schemaVersion: 3,
        data: event.data,
      }));
    const upcastingStore = new EventStore(connection, clock, upcasters);
    await store.append('webhook-upcast', 0, [testEvent('SecretRotated', { hint: 'abcd' }, 1)]);

    const [event] = await upcastingStore.readStream('webhook-upcast');
    expect(event).toMatchObject({
      type: 'WebhookSecretRotated',
      schemaVersion: 3,
      data: { hint: 'abcd', graceHours: 24 },
    });
    const raw = await connection
      .collection('event_commits')
      .findOne({ streamId: 'webhook-upcast' });
    expect(raw?.events[0]).toMatchObject({
      type: 'SecretRotated',
      schemaVersion: 1,
      data: { hint: 'abcd' },
    });
  });

  it('refuses appends without events, with a bad stream id, or without metadata', async () => {
    await expect(store.append('webhook-x', 0, [])).rejects.toBeInstanceOf(InvalidAppendError);
    await expect(store.append('$system', 0, [testEvent()])).rejects.toBeInstanceOf(
      InvalidAppendError,
    );
    const withoutActor = { ...testEvent(), metadata: { correlationId: 'c', causationId: 'c' } };
    await expect(store.append('webhook-x', 0, [withoutActor as never])).rejects.toBeInstanceOf(
      InvalidAppendError,
    );
    expect(await store.readStream('webhook-x')).toEqual([]);
  });
});
