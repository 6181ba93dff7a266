import type { Connection } from 'mongoose';
import { dropTestDatabase, openTestDatabase } from '../../../../test/support/test-database';
import { SystemClock } from '../clock';
import { EventStore } from '../event-store';
import type { StoredEvent } from '../event.types';
import { testEvent } from '../testing/event-factory';
import { RecordingProjection } from '../testing/recording.projection';
import { applyOnce } from './apply-once';
import { CheckpointStore } from './checkpoint-store';
import { ProjectionRebuilder } from './projection-rebuilder';
import { ProjectionRunner } from './projection-runner';

/** Every event exactly once, in strictly increasing global position. */
function expectExactlyOnceInOrder(seen: StoredEvent[], appendedIds: Set<string>): void {
  const ids = seen.map((event) => event.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(new Set(ids)).toEqual(appendedIds);
  const positions = seen.map((event) => event.position);
  positions.slice(1).forEach((position, i) => expect(position).toBeGreaterThan(positions[i]));
}

describe('Projections on the real database', () => {
  let connection: Connection;
  let checkpoints: CheckpointStore;

  beforeEach(async () => {
    connection = await openTestDatabase('projections');
    checkpoints = new CheckpointStore(connection);
  });

  afterEach(() => dropTestDatabase(connection));

  async function newStore(options = {}): Promise<EventStore> {
    const store = new EventStore(connection, new SystemClock(), undefined, options);
    await store.init();
    return store;
  }

  it('sees every event once and in global order while many writers append to many streams', async () => {
    const store = await newStore();
    // Writers in other processes share the database, not the in-process wake-up: poll like them.
    const otherWriter = await newStore();
    const projection = new RecordingProjection();
    const runner = new ProjectionRunner(store, checkpoints, connection, projection, {
      pollIntervalMs: 20,
      batchSize: 50,
    });
    await runner.start();

    const appended = new Set<string>();
    const writers = 12;
    const appendsPerWriter = 15;
    let last = 0;
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        const writerStore = writer % 2 === 0 ? store : otherWriter;
        for (let i = 0; i < appendsPerWriter; i++) {
          const events = [testEvent('A'), ...(i % 3 === 0 ? [testEvent('B')] : [])];
          const stream = `stream-${writer}-${i % 4}`;
          const version = await writerStore.streamVersion(stream);
          const result = await writerStore.append(stream, version, events);
          events.forEach((event) => appended.add(event.id!));
          last = Math.max(last, result.lastPosition);
        }
      }),
    );

    await runner.waitFor(last, 30_000);
    await runner.stop();
    expectExactlyOnceInOrder(projection.seen, appended);
    expect(projection.seen).toHaveLength(appended.size);
    const summary = await runner.collection.findOne({ _id: 'stream-0-0' as never });
    // stream-0-0 got appends 0, 4, 8 and 12; 0 and 12 carried a second event.
    expect(summary).toMatchObject({ events: 6, lastType: 'B', version: 6 });
  });

  it('never skips a slow writer: its taken position is retried, not lost behind the reader', async () => {
    let releaseSlowWriter!: () => void;
    const slowWriterMayGo = new Promise<void>((resolve) => (releaseSlowWriter = resolve));
    let slowSequence: number | undefined;
    const slowStore = await newStore({
      beforeCommit: async (commit: { streamId: string; sequence: number }) => {
        if (commit.streamId === 'slow' && slowSequence === undefined) {
          slowSequence = commit.sequence;
          await slowWriterMayGo;
        }
      },
    });
    const store = await newStore();
    const projection = new RecordingProjection();
    const runner = new ProjectionRunner(store, checkpoints, connection, projection, {
      pollIntervalMs: 10,
    });
    await runner.start();

    const slow = slowStore.append('slow', 0, [testEvent('Slow')]);
    while (slowSequence === undefined) await new Promise((resolve) => setImmediate(resolve));
    // Others take the slow writer's position and move on; the reader follows them.
    const fast = [];
    for (let i = 0; i < 5; i++) fast.push(await store.append(`fast-${i}`, 0, [testEvent('Fast')]));
    await runner.waitFor(fast[4].lastPosition);
    releaseSlowWriter();
    const slowResult = await slow;

    expect(fast[0].firstPosition).toBe(slowSequence * 1000);
    expect(slowResult.firstPosition).toBeGreaterThan(fast[4].lastPosition);
    await runner.waitFor(slowResult.lastPosition);
    await runner.stop();
    expect(projection.seen.map((event) => event.type)).toEqual([
      'Fast',
      'Fast',
      'Fast',
      'Fast',
      'Fast',
      'Slow',
    ]);
  });

  it('is not held up by a writer that dies between choosing its position and committing', async () => {
    const dying = await newStore({
      beforeCommit: () => Promise.reject(new Error('process killed')),
    });
    const store = await newStore();
    const projection = new RecordingProjection();
    const runner = new ProjectionRunner(store, checkpoints, connection, projection, {
      pollIntervalMs: 10,
    });
    await runner.start();

    await store.append('before', 0, [testEvent('Before')]);
    await expect(dying.append('dead', 0, [testEvent('Dead')])).rejects.toThrow('process killed');
    const after = await store.append('after', 0, [testEvent('After')]);

    await runner.waitFor(after.lastPosition, 5_000);
    await runner.stop();
    expect(projection.seen.map((event) => event.type)).toEqual(['Before', 'After']);
    expect(after.firstPosition).toBe(2000); // the dead writer's place went to the next writer
    expect(await store.readStream('dead')).toEqual([]);
  });

  it('resumes from its durable checkpoint after a restart without applying anything twice', async () => {
    const store = await newStore();
    for (let i = 0; i < 10; i++) await store.append(`s-${i}`, 0, [testEvent()]);
    const first = new RecordingProjection();
    const firstRun = new ProjectionRunner(store, checkpoints, connection, first);
    expect(await firstRun.catchUp()).toBe(10_000);

    for (let i = 0; i < 5; i++) await store.append(`t-${i}`, 0, [testEvent()]);
    const second = new RecordingProjection();
    const secondRun = new ProjectionRunner(store, checkpoints, connection, second);
    expect(await secondRun.catchUp()).toBe(15_000);
    expect(second.seen.map((event) => event.position)).toEqual([
      11_000, 12_000, 13_000, 14_000, 15_000,
    ]);
    expect((await checkpoints.get('stream-summary'))?.position).toBe(15_000);
  });

  it('applies a replayed event only once (read models keep their last applied position)', async () => {
    const collection = connection.db!.collection('rm_idempotent');
    expect(await applyOnce(collection, 'w1', 5, { $inc: { count: 1 } }, { upsert: true })).toBe(
      true,
    );
    expect(await applyOnce(collection, 'w1', 5, { $inc: { count: 1 } }, { upsert: true })).toBe(
      false,
    );
    expect(await applyOnce(collection, 'w1', 4, { $inc: { count: 1 } }, { upsert: true })).toBe(
      false,
    );
    expect(await applyOnce(collection, 'w1', 6, { $inc: { count: 1 } })).toBe(true);
    expect(await collection.findOne({ _id: 'w1' as never })).toMatchObject({
      count: 2,
      _position: 6,
    });
  });

  it('rebuilds beside the live read model, swaps it in, and the live runner continues there', async () => {
    const store = await newStore();
    for (let i = 0; i < 40; i++) {
      await store.append(`w-${i % 7}`, 'any', [testEvent(i % 2 ? 'Odd' : 'Even')]);
    }
    const live = new RecordingProjection();
    const liveRunner = new ProjectionRunner(store, checkpoints, connection, live, {
      pollIntervalMs: 10,
    });
    await liveRunner.start();
    await liveRunner.waitFor(40_000);
    const strip = (docs: Record<string, unknown>[]) => docs.map(({ _position, ...rest }) => rest);
    const liveView = await liveRunner.collection.find().sort({ _id: 1 }).toArray();
    expect(liveRunner.collection.collectionName).toBe('rm_stream_summary_g1');

    const result = await new ProjectionRebuilder(store, checkpoints, connection).rebuild(
      new RecordingProjection(),
      { dropDelayMs: 0 },
    );
    expect(result).toMatchObject({
      collection: 'rm_stream_summary_g2',
      previousCollection: 'rm_stream_summary_g1',
      generation: 2,
      position: 40_000,
      events: 40,
    });
    const rebuilt = await connection
      .db!.collection('rm_stream_summary_g2')
      .find()
      .sort({ _id: 1 })
      .toArray();
    expect(strip(rebuilt)).toEqual(strip(liveView));

    // The live runner notices the swap at its next checkpoint and writes to the new generation.
    const next = await store.append('w-new', 0, [testEvent('AfterSwap')]);
    await liveRunner.waitFor(next.lastPosition);
    await liveRunner.stop();
    expect(liveRunner.collection.collectionName).toBe('rm_stream_summary_g2');
    expect(await liveRunner.collection.findOne({ _id: 'w-new' as never })).toMatchObject({
      lastType: 'AfterSwap',
    });
  });
});
