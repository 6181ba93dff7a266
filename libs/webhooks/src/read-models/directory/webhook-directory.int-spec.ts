import { CheckpointStore, EventStore, FixedClock, ProjectionRunner } from '@app/event-store';
import type { Connection } from 'mongoose';
import { dropTestDatabase, openTestDatabase } from '../../../../../test/support/test-database';
import { secretRef, webhookCreated } from '../../domain/testing/webhook-fixtures';
import { ENVIRONMENTS, EVENT_TYPES, type EventType } from '../../domain/event-catalogue';
import { toNewEvent, type WebhookEvent } from '../../domain/webhook.events';
import type { ListWebhooksParams, WebhookListPage } from '../webhook-list.params';
import { WebhookListProjection } from '../webhook-list.projection';
import { listWebhooks } from '../webhook-list.query';
import { WebhookDirectory } from './webhook-directory';

const metadata = { actor: 'user:alice', correlationId: 'corr', causationId: 'cause' };

/** Names that sort differently by code point than by UTF-16 unit or by locale, and by case. */
const NAMES = ['Alpha', 'alpha', 'Ärger', 'zeta', 'Zeta', '\u{1F600} smile', '\uFF21 wide', 'crm'];
const TYPES: EventType[] = EVENT_TYPES.slice(0, 4);

/** A small deterministic generator, so a failure names a reproducible history. */
function generator(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 48271) % 2147483647; // Park and Miller's minimal standard
    return state % below;
  };
}

/** The page as the API would send it: what must be identical from either source. */
function shown(page: WebhookListPage) {
  return {
    ids: page.items.map((item) => item._id),
    items: page.items.map(({ _position, ...item }) => item),
    total: page.total,
    counts: page.counts,
    nextCursor: page.nextCursor,
  };
}

/**
 * The in-memory directory answers exactly what the database query on the durable read model
 * answers, on the real database (FerretDB locally): for every filter, search and sort, page by
 * page through the cursors, over a history with renames, moves, deactivations, deletes and many
 * webhooks changed at the same instant (ties on updatedAt, ordered by id).
 */
describe('WebhookDirectory against the durable read model', () => {
  let connection: Connection;
  let store: EventStore;
  let collection: ProjectionRunner['collection'];
  const directory = new WebhookDirectory();

  beforeAll(async () => {
    connection = await openTestDatabase('webhook_directory');
    const clock = new FixedClock(new Date('2026-05-01T00:00:00Z'));
    store = new EventStore(connection, clock);
    await store.init();
    const random = generator(7);
    const versions = new Map<string, number>();
    const append = async (id: string, event: WebhookEvent) => {
      // Every third commit moves the clock: the others share an updatedAt with their neighbours.
      if (random(3) === 0) clock.advance(1000);
      const version = versions.get(id) ?? 0;
      await store.append(`webhook-${id}`, version, [toNewEvent(event, metadata)]);
      versions.set(id, version + 1);
    };
    const ids = Array.from({ length: 60 }, (_, index) => `wh-${(index * 37) % 60}`);
    for (const [index, id] of ids.entries()) {
      await append(
        id,
        webhookCreated({
          id,
          name: `${NAMES[random(NAMES.length)]} ${random(3)}`,
          url: `https://hooks${random(3)}.example.com/${id}`,
          environment: ENVIRONMENTS[random(ENVIRONMENTS.length)],
          eventTypes: [TYPES[random(TYPES.length)], TYPES[random(TYPES.length)]].filter(
            (type, at, all) => all.indexOf(type) === at,
          ),
          active: index % 4 !== 0,
        }),
      );
    }
    for (const id of ids.slice(0, 40)) {
      const event: WebhookEvent[] = [
        { type: 'WebhookDeactivated', data: { id, reason: 'admin' } },
        { type: 'WebhookActivated', data: { id } },
        {
          type: 'WebhookUpdated',
          data: {
            id,
            changes: { name: { from: 'x', to: `${NAMES[random(NAMES.length)]} moved` } },
          },
        },
        {
          type: 'WebhookUpdated',
          data: { id, changes: { environment: { from: 'production', to: 'staging' } } },
        },
        {
          type: 'SecretRotated',
          data: {
            id,
            secret: secretRef(id),
            secretHint: 'whsec_…new1',
            previousSecret: secretRef('first'),
            previousSecretHint: 'whsec_…aSw1',
            previousSecretValidUntil: '2026-05-02T00:00:00.000Z',
          },
        },
        { type: 'WebhookDeleted', data: { id } },
      ];
      await append(id, event[random(event.length)]);
    }

    const runner = new ProjectionRunner(
      store,
      new CheckpointStore(connection),
      connection,
      new WebhookListProjection(),
    );
    await runner.catchUp();
    collection = runner.collection;
    for (const event of (await store.readAll(0, 10_000)).events) await directory.apply(event);
  });

  afterAll(() => dropTestDatabase(connection));

  const filters: Omit<ListWebhooksParams, 'limit'>[] = [
    {},
    { status: 'active' },
    { status: 'inactive' },
    { environment: 'staging' },
    { environment: 'production', status: 'active' },
    { eventType: TYPES[0] },
    { eventType: TYPES[1], environment: 'development' },
    { search: 'ALPHA' },
    { search: ' hooks1.EXAMPLE ' },
    { search: '\u{1F600}' },
    { search: '.*' },
    { search: 'moved', status: 'inactive' },
    { status: 'deleted' },
    { status: 'deleted', environment: 'staging' },
  ];

  it.each(filters.flatMap((filter) => [{ ...filter }, { ...filter, sort: 'updatedAt' as const }]))(
    'answers %j like the database, page by page',
    async (filter) => {
      let cursor: string | undefined;
      let pages = 0;
      do {
        const params: ListWebhooksParams = { ...filter, limit: 7, cursor };
        const fromDatabase = shown(await listWebhooks(collection, params));
        expect(shown(directory.list(params))).toEqual(fromDatabase);
        cursor = fromDatabase.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBeGreaterThan(0);
    },
  );

  it('refuses a cursor of the other sort order, as the database query does', async () => {
    const first = directory.list({ limit: 3 });
    expect(first.nextCursor).not.toBeNull();
    const params = { limit: 3, sort: 'updatedAt' as const, cursor: first.nextCursor! };
    expect(() => directory.list(params)).toThrow(/sort order/);
    await expect(listWebhooks(collection, params)).rejects.toThrow(/sort order/);
  });
});
