import type { Connection } from 'mongoose';
import { dropTestDatabase, openTestDatabase } from '../../../../test/support/test-database';
import { SystemClock } from '../clock';
import { RebuildInProgressError } from '../errors';
import { EventStore } from '../event-store';
import { Lease } from '../leases/lease';
import { MongoLeaseStore } from '../leases/lease-store';
import { testEvent } from '../testing/event-factory';
import { RecordingProjection } from '../testing/recording.projection';
import { CheckpointStore } from './checkpoint-store';
import { ProjectionRebuilder } from './projection-rebuilder';
import { ProjectionRunner } from './projection-runner';

describe('Projection generations on the real database', () => {
  let connection: Connection;
  let store: EventStore;
  let checkpoints: CheckpointStore;
  const runners: ProjectionRunner[] = [];

  beforeEach(async () => {
    connection = await openTestDatabase('generations');
    store = new EventStore(connection, new SystemClock());
    await store.init();
    checkpoints = new CheckpointStore(connection);
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await dropTestDatabase(connection);
  });

  function liveRunner(projection = new RecordingProjection()): ProjectionRunner {
    const runner = new ProjectionRunner(store, checkpoints, connection, projection, {
      pollIntervalMs: 10,
    });
    runners.push(runner);
    return runner;
  }

  const db = () => connection.db!;
  const summaries = (collection: string) =>
    db()
      .collection(collection)
      .find()
      .sort({ _id: 1 })
      .toArray()
      .then((documents) => documents.map(({ _position, ...rest }) => rest));

  it('upgrades a database from before generation markers: the single checkpoint document is the current generation', async () => {
    for (let i = 0; i < 6; i++) await store.append(`s-${i % 3}`, 'any', [testEvent('E')]);
    // What an older version left: the read model in generation 3, applied up to position 4000,
    // and one checkpoint document naming it.
    const legacy = new RecordingProjection();
    const collection = db().collection('rm_stream_summary_g3');
    for (const event of (await store.readAll(0, 4)).events) {
      await legacy.apply(event, { collection, rebuilding: false });
    }
    await db()
      .collection('projection_checkpoints')
      .insertOne({
        _id: 'stream-summary' as never,
        position: 4000,
        generation: 3,
        collection: 'rm_stream_summary_g3',
        updatedAt: new Date(),
      });
    expect(await checkpoints.get('stream-summary')).toEqual({
      generation: 3,
      collection: 'rm_stream_summary_g3',
      position: 4000,
    });

    const projection = new RecordingProjection();
    const runner = liveRunner(projection);
    await runner.start();
    await runner.waitFor(6000);

    // It went on from the old checkpoint, in the old collection, applying only what was new.
    expect(runner.collection.collectionName).toBe('rm_stream_summary_g3');
    expect(projection.seen.map((event) => event.position)).toEqual([5000, 6000]);
    expect(await db().collection('projection_generations').findOne()).toMatchObject({
      _id: 'stream-summary:g3',
      generation: 3,
      collection: 'rm_stream_summary_g3',
    });
    expect(await checkpoints.get('stream-summary')).toMatchObject({
      generation: 3,
      position: 6000,
    });
    const liveView = await summaries('rm_stream_summary_g3');
    expect(liveView.map(({ _id, events }) => ({ _id, events }))).toEqual(
      ['s-0', 's-1', 's-2'].map((_id) => ({ _id, events: 2 })),
    );

    // A rebuild then takes the next generation, as before.
    const result = await new ProjectionRebuilder(store, checkpoints, connection).rebuild(
      new RecordingProjection(),
      { dropDelayMs: 0 },
    );
    expect(result).toMatchObject({
      generation: 4,
      collection: 'rm_stream_summary_g4',
      previousCollection: 'rm_stream_summary_g3',
    });
    expect(await summaries('rm_stream_summary_g4')).toEqual(liveView);
    while (runner.currentGeneration !== 4) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(runner.collection.collectionName).toBe('rm_stream_summary_g4');
    // The legacy document was only read, never written.
    expect(
      await db()
        .collection('projection_checkpoints')
        .findOne({ _id: 'stream-summary' as never }),
    ).toMatchObject({ position: 4000, generation: 3 });
  });

  it('refuses a second rebuild while one is running, naming the holder', async () => {
    await store.append('s', 0, [testEvent()]);
    const running = new Lease(
      new MongoLeaseStore(connection),
      'projection-rebuild:stream-summary',
      {
        ttlMs: 60_000,
        owner: 'ops-host:4242:rebuild',
      },
    );
    await running.acquire();

    const second = new ProjectionRebuilder(store, checkpoints, connection).rebuild(
      new RecordingProjection(),
    );

    await expect(second).rejects.toBeInstanceOf(RebuildInProgressError);
    await expect(second).rejects.toThrow(/already running: held by ops-host:4242:rebuild/);
    expect(await checkpoints.get('stream-summary')).toBeNull();
    await running.release();
  });

  it('skips a generation that a dead rebuild reserved, and never swaps to it', async () => {
    for (let i = 0; i < 3; i++) await store.append(`s-${i}`, 0, [testEvent()]);
    const runner = liveRunner();
    await runner.start();
    await runner.waitFor(3000);
    // A rebuild reserved generation 2, wrote part of it and died.
    await checkpoints.reserve('stream-summary', {
      generation: 2,
      collection: 'rm_stream_summary_g2',
    });
    await db()
      .collection('rm_stream_summary_g2')
      .insertOne({ _id: 'half-built' as never });

    const result = await new ProjectionRebuilder(store, checkpoints, connection).rebuild(
      new RecordingProjection(),
      { dropDelayMs: 0 },
    );

    expect(result).toMatchObject({ generation: 3, collection: 'rm_stream_summary_g3' });
    const names = (await db().listCollections().toArray()).map((collection) => collection.name);
    expect(names).not.toContain('rm_stream_summary_g2');
    expect(await checkpoints.get('stream-summary')).toMatchObject({
      generation: 3,
      position: 3000,
    });
    while (runner.currentGeneration !== 3) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await runner.collection.countDocuments()).toBe(3);
  });
});
