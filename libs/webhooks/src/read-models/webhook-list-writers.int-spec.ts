import {
  CheckpointStore,
  EventStore,
  ProjectionHost,
  ProjectionRebuilder,
  ProjectionRunner,
  SystemClock,
  type Projection,
  type StoredEvent,
} from '@app/event-store';
import mongoose, { type Connection } from 'mongoose';
import { eventually } from '../../../../test/support/delivery-rig';
import { testDatabaseAddress } from '../../../../test/support/test-app';
import { within } from '../../../../test/support/within';
import { toNewEvent, type WebhookEvent } from '../domain/webhook.events';
import { WEBHOOK_LIST_PROJECTION, WebhookListProjection } from './webhook-list.projection';

const metadata = { actor: 'user:alice', correlationId: 'corr', causationId: 'cause' };
const POLL_MS = 50;
const TTL_MS = 1500;

function created(id: string): WebhookEvent {
  return {
    type: 'WebhookCreated',
    data: {
      id,
      name: `Hook ${id}`,
      url: `https://hooks.example.com/${id}`,
      environment: 'production',
      eventTypes: ['license.created'],
      description: null,
      active: true,
      secret: { id: 's-1' },
      secretHint: 'whsec_…abcd',
    },
  };
}

function renamed(id: string, version: number): WebhookEvent {
  return {
    type: 'WebhookUpdated',
    data: { id, changes: { name: { from: `Hook ${id}`, to: `Hook ${id} v${version}` } } },
  };
}

/** The webhook list projection, recording what this process applied. */
function counting(seen: StoredEvent[]): Projection {
  const list = new WebhookListProjection();
  return {
    name: list.name,
    collectionBase: list.collectionBase,
    setup: (collection) => list.setup(collection),
    apply: async (event, context) => {
      seen.push(event);
      await list.apply(event, context);
    },
  };
}

/** One api process as far as the list view goes: its own connection, store and host. */
interface ApiProcess {
  connection: Connection;
  store: EventStore;
  host: ProjectionHost;
  seen: StoredEvent[];
  runner: ProjectionRunner;
}

describe('the webhook list run by several api processes on one database', () => {
  let uri: string;
  let processes: ApiProcess[];
  let admin: Connection;

  beforeEach(async () => {
    uri = testDatabaseAddress('webhook_list_writers').uri;
    admin = await mongoose.createConnection(uri, { autoIndex: false }).asPromise();
    processes = [];
  });

  afterEach(async () => {
    for (const api of processes) {
      await api.host.onApplicationShutdown().catch(() => undefined);
      await api.connection.close().catch(() => undefined);
    }
    await admin.dropDatabase();
    await admin.close();
  });

  async function startProcess(): Promise<ApiProcess> {
    const connection = await mongoose.createConnection(uri, { autoIndex: false }).asPromise();
    const store = new EventStore(connection, new SystemClock());
    await store.init();
    const host = new ProjectionHost(store, new CheckpointStore(connection), connection, {
      pollIntervalMs: POLL_MS,
      lease: { ttlMs: TTL_MS },
    });
    const seen: StoredEvent[] = [];
    const runner = host.register(counting(seen));
    await host.onApplicationBootstrap();
    const api = { connection, store, host, seen, runner };
    processes.push(api);
    return api;
  }

  async function append(store: EventStore, id: string, version: number, event: WebhookEvent) {
    return store.append(`webhook-${id}`, version, [toNewEvent(event, metadata)]);
  }

  const view = async (collection: string) =>
    (await admin.db!.collection(collection).find().sort({ _id: 1 }).toArray()).map(
      ({ _position, ...rest }) => rest,
    );

  /** The list as one runner builds it from the whole log, in a collection of its own. */
  async function singleRunnerBuild(): Promise<Record<string, unknown>[]> {
    const store = new EventStore(admin, new SystemClock());
    const list = new WebhookListProjection();
    const single = new ProjectionRunner(store, new CheckpointStore(admin), admin, {
      name: 'single-runner-build',
      collectionBase: 'rm_single_build',
      apply: (event, context) => list.apply(event, context),
    });
    await single.catchUp();
    return view(single.collection.collectionName);
  }

  const current = async () => (await new CheckpointStore(admin).get(WEBHOOK_LIST_PROJECTION))!;

  it('has one writer: every event is applied once, both serve the same view, and waitFor resolves on both', async () => {
    const [first, second] = [await startProcess(), await startProcess()];
    expect([first.runner.isWriter, second.runner.isWriter]).toEqual([true, false]);

    // Writers in both processes, the creates and renames interleaved.
    const appends = await Promise.all(
      [first, second].map(async (writer, w) => {
        const results = [];
        for (let i = 0; i < 10; i++) {
          const id = `w${w}-${i % 5}`;
          const version = i < 5 ? 0 : 1;
          const result = await append(
            writer.store,
            id,
            version,
            i < 5 ? created(id) : renamed(id, 2),
          );
          // Read your writes on both processes, the writer's and the follower's.
          await within(
            Promise.all(
              [first, second].map(({ runner }) => runner.waitFor(result.lastPosition, 5000)),
            ),
            5500,
            `both processes to show position ${result.lastPosition}`,
          );
          results.push(result);
        }
        return results;
      }),
    );

    const appendedIds = appends.flat().flatMap((result) => result.events.map((event) => event.id));
    const applied = [...first.seen, ...second.seen].map((event) => event.id);
    expect(applied.sort()).toEqual(appendedIds.sort());
    expect(second.seen).toEqual([]);
    expect(second.runner.collection.collectionName).toBe(first.runner.collection.collectionName);
    expect(await view(first.runner.collection.collectionName)).toEqual(await singleRunnerBuild());
    expect((await view(first.runner.collection.collectionName)).length).toBe(10);
  });

  it('hands over within a poll interval when the writer stops, and the new writer goes on from its checkpoint', async () => {
    const [first, second] = [await startProcess(), await startProcess()];
    for (let i = 0; i < 3; i++) await append(first.store, `a${i}`, 0, created(`a${i}`));
    await first.runner.waitFor(3000);

    await first.host.onApplicationShutdown(); // a graceful stop releases the lease
    const stoppedAt = Date.now();
    await eventually(() => second.runner.isWriter, 'the second process to take over', 5000);

    expect(Date.now() - stoppedAt).toBeLessThan(TTL_MS / 2);
    const next = await append(second.store, 'a3', 0, created('a3'));
    await second.runner.waitFor(next.lastPosition, 5000);
    expect(second.seen.map((event) => event.streamId)).toEqual(['webhook-a3']);
    expect(await view(second.runner.collection.collectionName)).toEqual(await singleRunnerBuild());
  });

  it('takes over after the TTL from a writer that vanished without releasing', async () => {
    const [first, second] = [await startProcess(), await startProcess()];
    await append(first.store, 'b0', 0, created('b0'));
    await first.runner.waitFor(1000);

    await first.connection.close(); // the process is gone: no release, no renewals
    const abandonedAt = Date.now();
    expect(second.runner.isWriter).toBe(false);
    const next = await append(second.store, 'b1', 0, created('b1'));
    await second.runner.waitFor(next.lastPosition, TTL_MS + 5000);

    const tookOverAfter = Date.now() - abandonedAt;
    expect(second.runner.isWriter).toBe(true);
    expect(tookOverAfter).toBeGreaterThan(TTL_MS / 3); // it waited for the claim to run out
    expect(tookOverAfter).toBeLessThan(TTL_MS + 2000);
    expect(second.seen.map((event) => event.streamId)).toEqual(['webhook-b1']);
  });

  it('never leaves the current generation on a dropped collection while rebuilds race the busy writer', async () => {
    const [first, second] = [await startProcess(), await startProcess()];
    let writing = true;
    let webhooks = 0;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const id = `c${i % 15}`;
        const version = Math.floor(i / 15);
        await append(
          i % 2 ? second.store : first.store,
          id,
          version,
          version ? renamed(id, version + 1) : created(id),
        );
        webhooks = Math.max(webhooks, Math.min(i + 1, 15));
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    })();
    const rebuildConnection = await mongoose
      .createConnection(uri, { autoIndex: false })
      .asPromise();
    try {
      const rebuilder = new ProjectionRebuilder(
        new EventStore(rebuildConnection, new SystemClock()),
        new CheckpointStore(rebuildConnection),
        rebuildConnection,
      );
      for (let round = 0; round < 5; round++) {
        const result = await rebuilder.rebuild(new WebhookListProjection(), { dropDelayMs: 0 });
        const names = async () =>
          (await admin.db!.listCollections().toArray()).map((collection) => collection.name);

        expect(await current()).toMatchObject({
          generation: result.generation,
          collection: result.collection,
        });
        expect(await names()).toContain(result.collection);
        await eventually(
          () =>
            first.runner.currentGeneration === result.generation &&
            second.runner.currentGeneration === result.generation,
          `both processes to serve generation ${result.generation}`,
          5000,
        );
        await eventually(
          async () => (await second.runner.collection.countDocuments()) === webhooks,
          `the list in generation ${result.generation} to show every webhook`,
          5000,
        );
      }
    } finally {
      writing = false;
      await writer;
      await rebuildConnection.close();
    }

    const head = await first.store.headPosition();
    await Promise.all([first, second].map(({ runner }) => runner.waitFor(head, 5000)));
    const live = (await current()).collection;
    expect(live).toBe('rm_webhooks_g6');
    expect(await view(live)).toEqual(await singleRunnerBuild());
  });
});
