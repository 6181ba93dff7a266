import type { Collection, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import {
  CheckpointStore,
  EventStore,
  FixedClock,
  ProjectionRebuilder,
  ProjectionRunner,
  type StoredEvent,
} from '@app/event-store';
import { dropTestDatabase, openTestDatabase } from '../../../test/support/test-database';
import type { AuditDescriber, AuditEntry } from './audit-record';
import { AuditProjection } from './audit.projection';
import { readAudit, type AuditQuery } from './audit.query';

/** Streams `hook-<id>` are about webhook <id>, `settings-<id>` about a setting; others unknown. */
const describers: AuditDescriber[] = [
  (event) =>
    event.streamId.startsWith('hook-')
      ? {
          subject: { kind: 'webhook', id: event.streamId.slice(5) },
          details: { ...(event.data as object) },
        }
      : null,
  (event) =>
    event.streamId.startsWith('settings-')
      ? { subject: { kind: 'settings', id: event.streamId.slice(9) }, details: {} }
      : null,
];

const ACTORS = ['user:alice', 'user:bob', 'system:worker'];
const TYPES = ['Created', 'Updated', 'SecretRevealed', 'Paused'];
const HOOKS = ['h1', 'h2', 'h3'];

describe('the audit projection and its reads on the real database', () => {
  let connection: Connection;
  let store: EventStore;
  let checkpoints: CheckpointStore;
  let collection: Collection<Document>;
  let runner: ProjectionRunner;
  const appended: StoredEvent[] = [];

  beforeAll(async () => {
    connection = await openTestDatabase('audit_projection');
    const clock = new FixedClock(new Date('2026-03-30T22:00:00Z'));
    store = new EventStore(connection, clock);
    await store.init();
    checkpoints = new CheckpointStore(connection);
    // 90 actions over three days: gaps of seconds to hours, so pages span minutes, hours and days.
    for (let index = 0; index < 90; index++) {
      clock.advance(((index * 7919) % 11) * 60_000 + ((index * 31) % 5) * 3_600_000 + 1_000);
      const streamId =
        index % 10 === 9 ? 'settings-retry-policy' : `hook-${HOOKS[index % HOOKS.length]}`;
      const type = TYPES[(index * 3) % TYPES.length];
      const result = await store.append(streamId, 'any', [
        {
          type,
          data: { n: index },
          metadata: {
            // Two actions by a rare actor, far apart.
            actor: index === 20 || index === 60 ? 'user:rare' : ACTORS[(index * 5) % ACTORS.length],
            correlationId: `corr-${index}`,
            causationId: 'cause',
          },
        },
      ]);
      appended.push(...result.events);
    }
    // A stream no describer knows: never in the audit.
    await store.append('elsewhere-1', 'any', [
      {
        type: 'Created',
        data: {},
        metadata: { actor: 'user:alice', correlationId: 'c', causationId: 'c' },
      },
    ]);
    runner = new ProjectionRunner(store, checkpoints, connection, new AuditProjection(describers));
    await runner.catchUp();
    collection = runner.collection;
  });

  afterAll(() => dropTestDatabase(connection));

  const subjectOf = (event: StoredEvent) =>
    event.streamId.startsWith('hook-')
      ? { kind: 'webhook', id: event.streamId.slice(5) }
      : { kind: 'settings', id: 'retry-policy' };

  /** What a filter should list: the appended events it selects, newest first. */
  function expected(query: Omit<AuditQuery, 'limit'>): number[] {
    return appended
      .filter(
        (event) =>
          (!query.actor || event.metadata.actor === query.actor) &&
          (!query.types || query.types.includes(event.type)) &&
          (!query.webhookId || event.streamId === `hook-${query.webhookId}`) &&
          (!query.from || event.recordedAt >= query.from) &&
          (!query.to || event.recordedAt < query.to),
      )
      .map((event) => event.position)
      .reverse();
  }

  async function allPages(query: Omit<AuditQuery, 'limit' | 'cursor'>, limit: number) {
    const positions: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await readAudit(collection, { ...query, limit, cursor });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      positions.push(...page.items.map((entry) => entry.position));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 100);
    return { positions, pages };
  }

  const middle = () => appended[30].recordedAt;
  const later = () => appended[70].recordedAt;

  // Queries as functions: the times exist once beforeAll has appended.
  it.each<[string, () => Omit<AuditQuery, 'limit'>]>([
    ['everything', () => ({})],
    ['one actor', () => ({ actor: 'user:bob' })],
    ['one type', () => ({ types: ['SecretRevealed'] })],
    ['two types, merged', () => ({ types: ['Paused', 'Created'] })],
    ['one webhook', () => ({ webhookId: 'h2' })],
    ['a time range', () => ({ from: middle(), to: later() })],
    [
      'an actor, a type and a range',
      () => ({ actor: 'user:alice', types: ['Updated'], from: middle() }),
    ],
    ['nobody', () => ({ actor: 'user:nobody' })],
  ])('lists %s newest first, page after page across minutes, hours and days', async (_, query) => {
    // When
    const { positions, pages } = await allPages(query(), 7);

    // Then
    expect(positions).toEqual(expected(query()));
    if (positions.length > 7) expect(pages).toBeGreaterThan(1);
  });

  it('gives each entry its time, type, actor, correlation id, subject and details', async () => {
    // When
    const { items } = await readAudit(collection, { limit: 1 });

    // Then
    const last = appended.at(-1)!;
    expect(items).toEqual<AuditEntry[]>([
      {
        position: last.position,
        at: last.recordedAt.toISOString(),
        type: last.type,
        actor: last.metadata.actor,
        correlationId: last.metadata.correlationId,
        subject: subjectOf(last) as AuditEntry['subject'],
        details: subjectOf(last).kind === 'webhook' ? { n: 89 } : {},
      },
    ]);
  });

  it('applies each event once: replaying the log changes no document', async () => {
    // Given
    const before = await collection.find().sort({ _id: 1 }).toArray();
    const projection = new AuditProjection(describers);

    // When
    for (const event of (await store.readAll(0, 10_000)).events) {
      await projection.apply(event, { collection, rebuilding: false });
    }

    // Then
    expect(await collection.find().sort({ _id: 1 }).toArray()).toEqual(before);
    expect(await collection.countDocuments({ position: { $exists: true } })).toBe(appended.length);
  });

  it('rebuilds into a new generation that reads the same', async () => {
    // When
    await new ProjectionRebuilder(store, checkpoints, connection).rebuild(
      new AuditProjection(describers),
    );
    await runner.catchUp();

    // Then
    expect(runner.collection.collectionName).not.toBe(collection.collectionName);
    const rebuilt = await readAudit(runner.collection, { limit: 100 });
    expect(rebuilt.items.map((entry) => entry.position)).toEqual(expected({}));
  });

  it('reads a rare actor by what it did, not by everything kept', async () => {
    // Given: reads counted, documents returned summed
    let returned = 0;
    const counting = new Proxy(runner.collection, {
      get(target, property, receiver) {
        if (property !== 'find') return Reflect.get(target, property, receiver) as unknown;
        return (...args: Parameters<Collection<Document>['find']>) => {
          const cursor = target.find(...args);
          const toArray = cursor.toArray.bind(cursor);
          return Object.assign(cursor, {
            toArray: async () => {
              const found = await toArray();
              returned += found.length;
              return found;
            },
          });
        };
      },
    });

    // When
    const page = await readAudit(counting, { actor: 'user:rare', limit: 10 });

    // Then: the actor's directory and its two minutes, a fraction of the 90 records and their entries
    expect(page.items.map((entry) => entry.position)).toEqual(expected({ actor: 'user:rare' }));
    expect(page.items).toHaveLength(2);
    expect(returned).toBeLessThan(15);
  });
});
