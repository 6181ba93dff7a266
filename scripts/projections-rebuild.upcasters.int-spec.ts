import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { CheckpointStore, EventStore, FixedClock, type UpcastableEvent } from '@app/event-store';
import { testDatabaseAddress, type TestDatabaseAddress } from '../test/support/test-app';
import { runProjectionsRebuild } from './projections-rebuild';

// The registered list is replaced by one of an imagined version 0 (which the real one ignores), so
// that a rebuild run without an upcasters option shows that it reads through the registered list.
jest.mock('@app/webhooks', () => ({
  ...jest.requireActual('@app/webhooks'),
  EVENT_UPCASTERS: [
    {
      // An imagined schema version 0 of WebhookCreated, which called the name "title".
      type: 'WebhookCreated',
      fromVersion: 0,
      upcast: ({ data, ...event }: UpcastableEvent) => {
        const { title, ...rest } = data as { title: string };
        return { ...event, schemaVersion: 1, data: { ...rest, name: title } };
      },
    },
  ],
}));

const metadata = { actor: 'user:alice', correlationId: 'corr', causationId: 'cause' };

describe('npm run projections:rebuild with the registered upcasters', () => {
  let database: TestDatabaseAddress;
  let connection: Connection;
  let stateDir: string;

  beforeAll(async () => {
    database = testDatabaseAddress('projections_rebuild_registered_upcasters');
    connection = mongoose.createConnection(database.uri, { autoIndex: false });
    await connection.asPromise();
    stateDir = mkdtempSync(join(tmpdir(), 'projections-rebuild-'));
  });

  afterAll(async () => {
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('raises an event of an older schema version while rebuilding, without being handed upcasters', async () => {
    const store = new EventStore(connection, new FixedClock(new Date('2026-05-01T00:00:00Z')));
    await store.init();
    await store.append('webhook-old', 0, [
      {
        type: 'WebhookCreated',
        schemaVersion: 0,
        data: {
          id: 'old',
          title: 'Legacy Hook',
          url: 'https://hooks.example.com/old',
          environment: 'production',
          eventTypes: ['license.created'],
          description: null,
          active: true,
          encryptedSecret: { v: 1, iv: 'aXY=', tag: 'dGFn', data: 'ZGF0YQ==' },
          secretHint: 'whsec_…abcd',
        },
        metadata,
      },
    ]);

    const code = await runProjectionsRebuild(
      ['webhook-list'],
      { MONGODB_URI: database.uri, LOCAL_STATE_DIR: stateDir, LOCAL_MODE: 'true' },
      { stdout: () => undefined, stderr: () => undefined },
      { dropDelayMs: 0 },
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
