import type { Connection } from 'mongoose';
import { dropTestDatabase, openTestDatabase } from '../../../../test/support/test-database';
import { SystemClock } from '../clock';
import { EventStore } from '../event-store';
import type { StoredEvent } from '../event.types';
import { testEvent } from '../testing/event-factory';
import { RecordingProjection } from '../testing/recording.projection';
import { ProjectionWriterBusyError } from '../errors';
import { CheckpointStore } from './checkpoint-store';
import type { DurableProjection, Projection, ProjectionContext } from './projection';
import { ProjectionRebuilder } from './projection-rebuilder';
import { ProjectionRunner } from './projection-runner';

/** A read model kept in process memory: no collectionBase, it just records what it is handed. */
class InMemoryProjection implements Projection {
  readonly seen: StoredEvent[] = [];
  contexts: ProjectionContext[] = [];

  constructor(readonly name = 'in-memory') {}

  apply(event: StoredEvent, context: ProjectionContext): Promise<void> {
    this.seen.push(event);
    this.contexts.push(context);
    return Promise.resolve();
  }
}

describe('ProjectionRunner with an in-memory checkpoint', () => {
  let connection: Connection;
  let store: EventStore;
  let checkpoints: CheckpointStore;
  const runners: ProjectionRunner[] = [];

  beforeEach(async () => {
    connection = await openTestDatabase('projection_runner');
    store = new EventStore(connection, new SystemClock());
    await store.init();
    checkpoints = new CheckpointStore(connection);
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await dropTestDatabase(connection);
  });

  function memoryRunner(projection: Projection): ProjectionRunner {
    const runner = new ProjectionRunner(store, checkpoints, connection, projection, {
      checkpoint: 'memory',
      pollIntervalMs: 10,
    });
    runners.push(runner);
    return runner;
  }

  const checkpointDocuments = () =>
    connection.db!.collection('projection_checkpoints').countDocuments();
  const collectionNames = async () =>
    (await connection.db!.listCollections().toArray()).map((collection) => collection.name).sort();

  it('runs two runners of the same projection side by side, each seeing everything from 0, writing no checkpoint', async () => {
    for (let i = 0; i < 5; i++) await store.append(`s-${i}`, 0, [testEvent('Before')]);
    const first = new InMemoryProjection('index');
    const second = new InMemoryProjection('index');
    const firstRunner = memoryRunner(first);
    const secondRunner = memoryRunner(second);
    expect(firstRunner.caughtUp).toBe(false);

    await firstRunner.start();
    await secondRunner.start();
    await Promise.all([firstRunner.whenCaughtUp(), secondRunner.whenCaughtUp()]);
    expect(firstRunner.caughtUp).toBe(true);
    expect(first.seen.map((event) => event.position)).toEqual([1000, 2000, 3000, 4000, 5000]);
    expect(second.seen.map((event) => event.position)).toEqual([1000, 2000, 3000, 4000, 5000]);

    // Then both follow the log live, each on its own position.
    const next = await store.append('s-live', 0, [testEvent('Live'), testEvent('Live')]);
    await Promise.all([
      firstRunner.waitFor(next.lastPosition),
      secondRunner.waitFor(next.lastPosition),
    ]);
    expect(first.seen.map((event) => event.type)).toEqual([
      ...Array(5).fill('Before'),
      'Live',
      'Live',
    ]);
    expect(second.seen.map((event) => event.id)).toEqual(first.seen.map((event) => event.id));
    expect(firstRunner.currentPosition).toBe(next.lastPosition);

    expect(firstRunner.checkpointMode).toBe('memory');
    expect(await checkpoints.get('index')).toBeNull();
    expect(await checkpointDocuments()).toBe(0);
    // No collection was created or resolved for the projection either.
    expect(await collectionNames()).toEqual(['event_commits']);
  });

  it('starts again from 0 on every start, even where a durable checkpoint of that name exists', async () => {
    for (let i = 0; i < 3; i++) await store.append(`s-${i}`, 0, [testEvent()]);
    await new ProjectionRunner(
      store,
      checkpoints,
      connection,
      new RecordingProjection('index'),
    ).catchUp();
    expect((await checkpoints.get('index'))?.position).toBe(3000);

    const projection = new InMemoryProjection('index');
    const runner = memoryRunner(projection);
    expect(await runner.catchUp()).toBe(3000);
    await runner.start();
    await runner.whenCaughtUp();
    await runner.stop();
    await runner.start();
    await runner.waitFor(3000);

    // Three runs, each from 0; the durable checkpoint was neither read nor moved.
    expect(projection.seen.map((event) => event.position)).toEqual([
      1000, 2000, 3000, 1000, 2000, 3000, 1000, 2000, 3000,
    ]);
    expect((await checkpoints.get('index'))?.position).toBe(3000);
  });

  it('gives a projection without a collection none: using it is a clear error', async () => {
    await store.append('s', 0, [testEvent()]);
    const projection = new InMemoryProjection('no-collection');
    const runner = memoryRunner(projection);
    await runner.catchUp();

    expect(projection.contexts[0].rebuilding).toBe(false);
    expect(() => projection.contexts[0].collection).toThrow(
      'Projection no-collection has no read-model collection',
    );
    expect(() => runner.collection).toThrow(
      'Projection no-collection has no read-model collection',
    );
    expect(
      () => new ProjectionRunner(store, checkpoints, connection, new InMemoryProjection('durable')),
    ).toThrow(/has no collectionBase: a durable checkpoint needs a read-model collection/);
    await expect(
      new ProjectionRebuilder(store, checkpoints, connection).rebuild(
        projection as unknown as DurableProjection,
      ),
    ).rejects.toThrow(/keeps its read model in memory/);
    expect(await checkpointDocuments()).toBe(0);
  });

  it('still writes to the first generation of a projection that declares a collection', async () => {
    await store.append('s', 0, [testEvent('One'), testEvent('Two')]);
    const runner = memoryRunner(new RecordingProjection('summary', 'rm_memory_summary'));
    await runner.catchUp();

    expect(runner.collection.collectionName).toBe('rm_memory_summary_g1');
    expect(await runner.collection.findOne({ _id: 's' as never })).toMatchObject({
      events: 2,
      lastType: 'Two',
    });
    expect(await checkpointDocuments()).toBe(0);
  });
});

describe('ProjectionRunner with a durable checkpoint', () => {
  let connection: Connection;
  let store: EventStore;
  let checkpoints: CheckpointStore;

  beforeEach(async () => {
    connection = await openTestDatabase('projection_runner_durable');
    store = new EventStore(connection, new SystemClock());
    await store.init();
    checkpoints = new CheckpointStore(connection);
  });

  afterEach(() => dropTestDatabase(connection));

  it('catches up only under the writer lease: refused while another process writes, allowed once it stops', async () => {
    for (let i = 0; i < 4; i++) await store.append(`s-${i}`, 0, [testEvent()]);
    const writer = new ProjectionRunner(store, checkpoints, connection, new RecordingProjection(), {
      pollIntervalMs: 10,
    });
    await writer.start();
    await writer.waitFor(4000);
    expect(writer.isWriter).toBe(true);

    const other = new ProjectionRunner(store, checkpoints, connection, new RecordingProjection());
    await expect(other.catchUp()).rejects.toBeInstanceOf(ProjectionWriterBusyError);

    await writer.stop(); // releases the lease
    const projection = new RecordingProjection();
    const resumed = new ProjectionRunner(store, checkpoints, connection, projection);
    await store.append('s-4', 0, [testEvent()]);
    expect(await resumed.catchUp()).toBe(5000);
    expect(projection.seen.map((event) => event.position)).toEqual([5000]);
  });

  it('follows a rebuild swap while idle, without waiting for the next event', async () => {
    for (let i = 0; i < 6; i++) await store.append(`w-${i % 3}`, 'any', [testEvent('E')]);
    const runner = new ProjectionRunner(store, checkpoints, connection, new RecordingProjection(), {
      pollIntervalMs: 10,
    });
    await runner.start();
    await runner.whenCaughtUp();
    expect(runner.caughtUp).toBe(true);
    expect(runner.checkpointMode).toBe('durable');
    expect(runner.collection.collectionName).toBe('rm_stream_summary_g1');

    const result = await new ProjectionRebuilder(store, checkpoints, connection).rebuild(
      new RecordingProjection(),
      { dropDelayMs: 60_000 },
    );
    expect(result.collection).toBe('rm_stream_summary_g2');

    const deadline = Date.now() + 5_000;
    while (runner.collection.collectionName !== result.collection && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await runner.stop();
    expect(runner.collection.collectionName).toBe('rm_stream_summary_g2');
    expect(runner.currentPosition).toBe(6000);
    expect(await runner.collection.countDocuments()).toBe(3);
  });
});
