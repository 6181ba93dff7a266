import {
  CheckpointStore,
  EventStore,
  FixedClock,
  ProjectionRebuilder,
  ProjectionRunner,
} from '@app/event-store';
import type { Connection } from 'mongoose';
import { dropTestDatabase, openTestDatabase } from '../../../../test/support/test-database';
import type { Environment, EventType } from '../domain/event-catalogue';
import { toNewEvent, type WebhookEvent } from '../domain/webhook.events';
import { listWebhooks } from './webhook-list.query';
import { WebhookListProjection } from './webhook-list.projection';

const secret = { id: 's-1' };
const metadata = { actor: 'user:alice', correlationId: 'corr', causationId: 'cause' };

function created(
  id: string,
  name: string,
  environment: Environment,
  eventTypes: EventType[],
): WebhookEvent {
  return {
    type: 'WebhookCreated',
    data: {
      id,
      name,
      url: `https://hooks.example.com/${id}`,
      environment,
      eventTypes,
      description: null,
      active: true,
      secret,
      secretHint: 'whsec_…abcd',
    },
  };
}

describe('Webhook list read model on the real database', () => {
  let connection: Connection;
  let store: EventStore;
  let checkpoints: CheckpointStore;
  let clock: FixedClock;

  beforeAll(async () => {
    connection = await openTestDatabase('webhook_list');
    clock = new FixedClock(new Date('2026-05-01T00:00:00Z'));
    store = new EventStore(connection, clock);
    await store.init();
    checkpoints = new CheckpointStore(connection);
    const append = async (id: string, version: number, events: WebhookEvent[]) => {
      clock.advance(1000);
      await store.append(
        `webhook-${id}`,
        version,
        events.map((event) => toNewEvent(event, metadata)),
      );
    };
    await append('a', 0, [
      created('a', 'CRM Sync', 'production', ['license.created', 'license.updated']),
    ]);
    await append('b', 0, [
      created('b', 'Slack Activation Alerts', 'production', ['activation.created']),
    ]);
    await append('c', 0, [created('c', 'Warehouse', 'staging', ['telemetry.received'])]);
    await append('d', 0, [created('d', 'Old hook', 'production', ['license.created'])]);
    await append('b', 1, [{ type: 'WebhookDeactivated', data: { id: 'b', reason: 'admin' } }]);
    await append('a', 1, [
      {
        type: 'WebhookUpdated',
        data: { id: 'a', changes: { name: { from: 'CRM Sync', to: 'CRM sync v2' } } },
      },
    ]);
    await append('d', 1, [{ type: 'WebhookDeleted', data: { id: 'd' } }]);
  });

  afterAll(() => dropTestDatabase(connection));

  async function build(): Promise<ProjectionRunner> {
    const runner = new ProjectionRunner(
      store,
      checkpoints,
      connection,
      new WebhookListProjection(),
    );
    await runner.catchUp();
    return runner;
  }

  it('lists, filters, searches and pages the webhooks, leaving deleted ones out', async () => {
    const { collection } = await build();

    const all = await listWebhooks(collection, { limit: 10 });
    expect(all.items.map((item) => item.name)).toEqual([
      'CRM sync v2',
      'Slack Activation Alerts',
      'Warehouse',
    ]);
    expect(all).toMatchObject({ total: 3, counts: { active: 2, inactive: 1 }, nextCursor: null });
    expect(all.items[0]).toMatchObject({ eventCount: 2, version: 2, status: 'active' });

    const production = await listWebhooks(collection, { environment: 'production', limit: 10 });
    expect(production.items.map((item) => item._id)).toEqual(['a', 'b']);
    const inactive = await listWebhooks(collection, { status: 'inactive', limit: 10 });
    expect(inactive.items.map((item) => item._id)).toEqual(['b']);
    expect(inactive.counts).toEqual({ active: 2, inactive: 1 });
    const byType = await listWebhooks(collection, { eventType: 'telemetry.received', limit: 10 });
    expect(byType.items.map((item) => item._id)).toEqual(['c']);
    const bySearch = await listWebhooks(collection, { search: 'SLACK', limit: 10 });
    expect(bySearch.items.map((item) => item._id)).toEqual(['b']);
    const byUrl = await listWebhooks(collection, { search: 'example.com/c', limit: 10 });
    expect(byUrl.items.map((item) => item._id)).toEqual(['c']);
    const regexChars = await listWebhooks(collection, { search: '.*', limit: 10 });
    expect(regexChars.total).toBe(0);
    const deleted = await listWebhooks(collection, { status: 'deleted', limit: 10 });
    expect(deleted.items.map((item) => item._id)).toEqual(['d']);
    expect(deleted).toMatchObject({ total: 1, counts: { active: 2, inactive: 1 } });

    const first = await listWebhooks(collection, { sort: 'updatedAt', limit: 2 });
    expect(first.items.map((item) => item._id)).toEqual(['a', 'b']);
    const second = await listWebhooks(collection, {
      sort: 'updatedAt',
      limit: 2,
      cursor: first.nextCursor!,
    });
    expect(second.items.map((item) => item._id)).toEqual(['c']);
    expect(second.nextCursor).toBeNull();
    await expect(listWebhooks(collection, { limit: 2, cursor: first.nextCursor! })).rejects.toThrow(
      /sort order/,
    );
  });

  it('is idempotent under replay and a rebuild equals the live view', async () => {
    const live = await build();
    const view = async (name: string) =>
      (await connection.db!.collection(name).find().sort({ _id: 1 }).toArray()).map(
        ({ _position, ...rest }) => rest,
      );
    const before = await view(live.collection.collectionName);

    // Replay everything again onto the same documents: nothing changes.
    const projection = new WebhookListProjection();
    for (const event of (await store.readAll(0, 1000)).events) {
      await projection.apply(event, { collection: live.collection, rebuilding: false });
    }
    expect(await view(live.collection.collectionName)).toEqual(before);

    const rebuilt = await new ProjectionRebuilder(store, checkpoints, connection).rebuild(
      projection,
      {
        dropDelayMs: 60_000,
      },
    );
    expect(await view(rebuilt.collection)).toEqual(before);
  });
});
