import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import {
  CheckpointStore,
  EventStore,
  FixedClock,
  Lease,
  MongoLeaseStore,
  ProjectionRunner,
  UpcasterRegistry,
} from '@app/event-store';
import { listWebhooks, toNewEvent, WebhookListProjection, type WebhookEvent } from '@app/webhooks';
import { testDatabaseAddress, type TestDatabaseAddress } from '../test/support/test-app';
import { runProjectionsRebuild } from './projections-rebuild';

const metadata = { actor: 'user:alice', correlationId: 'corr', causationId: 'cause' };

function created(id: string, name: string): WebhookEvent {
  return {
    type: 'WebhookCreated',
    data: {
      id,
      name,
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

describe('npm run projections:rebuild on the real database', () => {
  let database: TestDatabaseAddress;
  let connection: Connection;
  let store: EventStore;
  let checkpoints: CheckpointStore;
  let stateDir: string;
  let live: ProjectionRunner;

  beforeAll(async () => {
    database = testDatabaseAddress('projections_rebuild');
    connection = mongoose.createConnection(database.uri, { autoIndex: false });
    await connection.asPromise();
    const clock = new FixedClock(new Date('2026-05-01T00:00:00Z'));
    store = new EventStore(connection, clock);
    await store.init();
    checkpoints = new CheckpointStore(connection);
    stateDir = mkdtempSync(join(tmpdir(), 'projections-rebuild-'));

    for (const [id, name] of [
      ['a', 'CRM Sync'],
      ['b', 'Slack Alerts'],
      ['c', 'Warehouse'],
    ]) {
      clock.advance(1000);
      await store.append(`webhook-${id}`, 0, [toNewEvent(created(id, name), metadata)]);
    }
    clock.advance(1000);
    await store.append('webhook-b', 1, [
      toNewEvent({ type: 'WebhookDeactivated', data: { id: 'b', reason: 'admin' } }, metadata),
    ]);
    clock.advance(1000);
    await store.append('webhook-c', 1, [
      toNewEvent({ type: 'WebhookDeleted', data: { id: 'c' } }, metadata),
    ]);

    // The live view, as the running api keeps it.
    live = new ProjectionRunner(store, checkpoints, connection, new WebhookListProjection(), {
      pollIntervalMs: 10,
    });
    await live.start();
    await live.waitFor(await store.headPosition());
  });

  afterAll(async () => {
    await live?.stop();
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const view = async (collection: string) =>
    (await connection.db!.collection(collection).find().sort({ _id: 1 }).toArray()).map(
      ({ _position, ...rest }) => rest,
    );
  const collections = async () =>
    (await connection.db!.listCollections().toArray()).map((collection) => collection.name);

  it('rebuilds into a new collection, swaps it in, and the live runner follows the swap', async () => {
    const before = await view('rm_webhooks_g1');
    expect(before.map((document) => document._id)).toEqual(['a', 'b', 'c']);
    let stdout = '';
    let stderr = '';

    const code = await runProjectionsRebuild(
      ['webhook-list'],
      { MONGODB_URI: database.uri, LOCAL_STATE_DIR: stateDir, LOCAL_MODE: 'true' },
      { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) },
      { dropDelayMs: 300 },
    );

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('rebuilt webhook-list');
    expect(stdout).toMatch(/collection +rm_webhooks_g2\n/);
    expect(stdout).toMatch(/previous collection +rm_webhooks_g1\n/);
    expect(stdout).toMatch(/generation +2\n/);
    expect(stdout).toMatch(/position +5000\n/);
    expect(stdout).toMatch(/events +5\n/);
    expect(stdout).toMatch(/events\/s +\d+\n/);

    expect(await checkpoints.get('webhook-list')).toMatchObject({
      collection: 'rm_webhooks_g2',
      generation: 2,
      position: 5000,
    });
    expect(await view('rm_webhooks_g2')).toEqual(before);
    // The command waited out the grace period: the live runner moved on, the old collection is gone.
    expect(live.collection.collectionName).toBe('rm_webhooks_g2');
    expect(await collections()).not.toContain('rm_webhooks_g1');
    expect(await checkpoints.get('webhook-list~rebuild')).toBeNull();

    const page = await listWebhooks(live.collection, { limit: 10 });
    expect(page.items.map((item) => item._id)).toEqual(['a', 'b']);

    // And it keeps following the log in the new generation.
    const next = await store.append('webhook-d', 0, [toNewEvent(created('d', 'Later'), metadata)]);
    await live.waitFor(next.lastPosition);
    expect(await live.collection.findOne({ _id: 'd' as never })).toMatchObject({ name: 'Later' });
  });

  it('refuses to rebuild while another rebuild of the projection runs, and swaps nothing', async () => {
    const running = new Lease(new MongoLeaseStore(connection), 'projection-rebuild:webhook-list', {
      ttlMs: 60_000,
      owner: 'ops-host:77:rebuild',
    });
    await running.acquire();
    const before = await checkpoints.get('webhook-list');
    let stderr = '';

    const code = await runProjectionsRebuild(
      ['webhook-list'],
      { MONGODB_URI: database.uri, LOCAL_STATE_DIR: stateDir, LOCAL_MODE: 'true' },
      { stdout: () => undefined, stderr: (text) => void (stderr += text) },
      { dropDelayMs: 0 },
    );

    await running.release();
    expect(code).toBe(1);
    expect(stderr).toContain(
      'A rebuild of webhook-list is already running: held by ops-host:77:rebuild',
    );
    expect(await checkpoints.get('webhook-list')).toEqual(before);
  });

  it('rebuilds again on top of a rebuilt generation', async () => {
    const before = await view('rm_webhooks_g2');
    let stdout = '';

    const code = await runProjectionsRebuild(
      ['webhook-list'],
      { MONGODB_URI: database.uri, LOCAL_STATE_DIR: stateDir, LOCAL_MODE: 'true' },
      { stdout: (text) => void (stdout += text), stderr: () => undefined },
      { dropDelayMs: 0 },
    );

    expect(code).toBe(0);
    expect(stdout).toMatch(/collection +rm_webhooks_g3\n/);
    expect(await checkpoints.get('webhook-list')).toMatchObject({
      collection: 'rm_webhooks_g3',
      generation: 3,
    });
    expect(await view('rm_webhooks_g3')).toEqual(before);
    expect(await collections()).not.toContain('rm_webhooks_g2');
  });
});

describe('npm run projections:rebuild reading old event shapes', () => {
  let database: TestDatabaseAddress;
  let connection: Connection;
  let stateDir: string;

  beforeAll(async () => {
    database = testDatabaseAddress('projections_rebuild_upcast');
    connection = mongoose.createConnection(database.uri, { autoIndex: false });
    await connection.asPromise();
    stateDir = mkdtempSync(join(tmpdir(), 'projections-rebuild-'));
  });

  afterAll(async () => {
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('reads the log through its upcasters, so events of an older schema version come out in the current shape', async () => {
    const store = new EventStore(connection, new FixedClock(new Date('2026-05-01T00:00:00Z')));
    await store.init();
    // A WebhookCreated of an imagined schema version 0, which called the name "title".
    const { name, ...rest } = created('old', 'Legacy Hook').data as { name: string };
    await store.append('webhook-old', 0, [
      { type: 'WebhookCreated', schemaVersion: 0, data: { ...rest, title: name }, metadata },
    ]);
    const upcasters = new UpcasterRegistry().register('WebhookCreated', 0, (event) => {
      const { title, ...data } = event.data as { title: string };
      return { ...event, schemaVersion: 1, data: { ...data, name: title } };
    });

    const code = await runProjectionsRebuild(
      ['webhook-list'],
      { MONGODB_URI: database.uri, LOCAL_STATE_DIR: stateDir, LOCAL_MODE: 'true' },
      { stdout: () => undefined, stderr: () => undefined },
      { dropDelayMs: 0, upcasters },
    );

    expect(code).toBe(0);
    const rebuilt = await new CheckpointStore(connection).get('webhook-list');
    expect(await connection.db!.collection(rebuilt!.collection).findOne()).toMatchObject({
      _id: 'old',
      name: 'Legacy Hook',
      nameLower: 'legacy hook',
    });
  });
});
