import { CheckpointStore, EventStore, FixedClock, ProjectionRunner } from '@app/event-store';
import type { Connection } from 'mongoose';
import { dropTestDatabase, openTestDatabase } from '../../../../test/support/test-database';
import {
  ENVIRONMENTS,
  EVENT_TYPES,
  type Environment,
  type EventType,
} from '../domain/event-catalogue';
import { toNewEvent, type WebhookEvent } from '../domain/webhook.events';
import { SubscriptionIndex } from './subscription-index';

const secret = (label: string) => ({ id: label });
const metadata = { actor: 'user:alice', correlationId: 'corr', causationId: 'cause' };

/** The webhook `id` as the index matches it (its target), found through `match`: while it is active. */
const indexed = (index: SubscriptionIndex, id: string) =>
  ENVIRONMENTS.flatMap((environment) =>
    EVENT_TYPES.flatMap((type) => index.match(environment, type)),
  ).find((target) => target.id === id);

function created(
  id: string,
  environment: Environment,
  eventTypes: EventType[],
  active = true,
): WebhookEvent {
  return {
    type: 'WebhookCreated',
    data: {
      id,
      name: `Hook ${id}`,
      url: `https://hooks.example.com/${id}`,
      environment,
      eventTypes,
      description: null,
      active,
      secret: secret(`${id}-1`),
      secretHint: 'whsec_…abcd',
    },
  };
}

/** Every (environment, event type) with its matching webhook ids: the whole index, comparable. */
function snapshot(index: SubscriptionIndex): Record<string, unknown[]> {
  const all: Record<string, unknown[]> = {};
  for (const environment of ENVIRONMENTS) {
    for (const eventType of EVENT_TYPES) {
      const targets = index.match(environment, eventType);
      if (targets.length > 0) {
        all[`${environment} ${eventType}`] = [...targets].sort((a, b) => a.id.localeCompare(b.id));
      }
    }
  }
  return all;
}

const ids = (index: SubscriptionIndex, environment: Environment, eventType: EventType) =>
  index
    .match(environment, eventType)
    .map((target) => target.id)
    .sort();

describe('Subscription index on the real database', () => {
  let connection: Connection;
  let store: EventStore;
  let checkpoints: CheckpointStore;
  let clock: FixedClock;
  const runners: ProjectionRunner[] = [];

  const append = async (id: string, events: WebhookEvent[]) => {
    clock.advance(1000);
    const stream = `webhook-${id}`;
    return store.append(
      stream,
      await store.streamVersion(stream),
      events.map((event) => toNewEvent(event, metadata)),
    );
  };

  function runnerFor(index: SubscriptionIndex): ProjectionRunner {
    const runner = new ProjectionRunner(store, checkpoints, connection, index, {
      checkpoint: 'memory',
      pollIntervalMs: 10,
    });
    runners.push(runner);
    return runner;
  }

  beforeAll(async () => {
    connection = await openTestDatabase('subscription_index');
    clock = new FixedClock(new Date('2026-05-01T00:00:00Z'));
    store = new EventStore(connection, clock);
    await store.init();
    checkpoints = new CheckpointStore(connection);

    await append('active', [
      created('active', 'production', ['license.created', 'license.updated']),
    ]);
    await append('paused', [created('paused', 'production', ['license.created'])]);
    await append('staging', [created('staging', 'staging', ['license.created'])]);
    await append('deleted', [created('deleted', 'production', ['license.created'])]);
    await append('other-type', [created('other-type', 'production', ['activation.created'])]);
    await append('born-inactive', [
      created('born-inactive', 'production', ['license.created'], false),
    ]);
    await append('back', [created('back', 'production', ['license.created'])]);
    await append('moved', [created('moved', 'development', ['product.created'])]);
    await append('paused', [
      { type: 'WebhookDeactivated', data: { id: 'paused', reason: 'admin' } },
    ]);
    await append('deleted', [{ type: 'WebhookDeleted', data: { id: 'deleted' } }]);
    await append('back', [
      { type: 'WebhookDeactivated', data: { id: 'back', reason: 'automatic', detail: 'failing' } },
      { type: 'WebhookActivated', data: { id: 'back' } },
    ]);
    await append('moved', [
      {
        type: 'WebhookUpdated',
        data: {
          id: 'moved',
          changes: {
            environment: { from: 'development', to: 'production' },
            eventTypes: { from: ['product.created'], to: ['license.created', 'license.revoked'] },
            url: { from: 'https://hooks.example.com/moved', to: 'https://moved.example.com/in' },
          },
        },
      },
    ]);
    await append('active', [
      {
        type: 'SecretRotated',
        data: {
          id: 'active',
          secret: secret('active-2'),
          secretHint: 'whsec_…efgh',
          previousSecret: secret('active-1'),
          previousSecretHint: 'whsec_…abcd',
          previousSecretValidUntil: '2026-05-02T00:00:00.000Z',
        },
      },
    ]);
  });

  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.stop()));
    await dropTestDatabase(connection);
  });

  it('matches the active webhooks of the environment subscribed to the type, and no others', async () => {
    const index = new SubscriptionIndex();
    const runner = runnerFor(index);
    await runner.start();
    await runner.whenCaughtUp();
    index.markReady();

    expect(index.ready).toBe(true);
    expect(ids(index, 'production', 'license.created')).toEqual(['active', 'back', 'moved']);
    expect(ids(index, 'production', 'license.updated')).toEqual(['active']);
    expect(ids(index, 'production', 'license.revoked')).toEqual(['moved']);
    expect(ids(index, 'production', 'activation.created')).toEqual(['other-type']);
    expect(ids(index, 'staging', 'license.created')).toEqual(['staging']);
    expect(ids(index, 'development', 'product.created')).toEqual([]);
    expect(index.size).toBe(5);
    expect(indexed(index, 'moved')).toMatchObject({
      url: 'https://moved.example.com/in',
      version: 2,
    });
    expect(indexed(index, 'active')).toEqual({
      id: 'active',
      url: 'https://hooks.example.com/active',
      environment: 'production',
      eventTypes: ['license.created', 'license.updated'],
      secret: secret('active-2'),
      previousSecret: {
        secret: secret('active-1'),
        validUntil: '2026-05-02T00:00:00.000Z',
      },
      version: 2,
      retryPolicy: null,
      rateLimitPerSecond: null,
      headers: {},
    });
    // The index lives in memory only: no checkpoint and no read-model collection.
    expect(await checkpoints.get('subscription-index')).toBeNull();
    const collections = await connection.db!.listCollections().toArray();
    expect(collections.map((collection) => collection.name)).toEqual(['event_commits']);
  });

  it('follows changes live and a fresh runner rebuilds the same index from zero', async () => {
    const live = new SubscriptionIndex();
    const liveRunner = runnerFor(live);
    await liveRunner.start();
    await liveRunner.whenCaughtUp();

    await append('born-inactive', [{ type: 'WebhookActivated', data: { id: 'born-inactive' } }]);
    await append('staging', [
      {
        type: 'WebhookUpdated',
        data: { id: 'staging', changes: { environment: { from: 'staging', to: 'production' } } },
      },
    ]);
    const last = await append('active', [
      { type: 'WebhookDeactivated', data: { id: 'active', reason: 'admin' } },
    ]);
    await liveRunner.waitFor(last.lastPosition);

    expect(ids(live, 'production', 'license.created')).toEqual([
      'back',
      'born-inactive',
      'moved',
      'staging',
    ]);
    expect(ids(live, 'staging', 'license.created')).toEqual([]);
    expect(ids(live, 'production', 'license.updated')).toEqual([]);

    const fresh = new SubscriptionIndex();
    await runnerFor(fresh).catchUp();
    expect(snapshot(fresh)).toEqual(snapshot(live));
    expect(fresh.size).toBe(live.size);

    // The live runner restarted replays from 0 onto the same index: nothing changes.
    const before = snapshot(live);
    await liveRunner.stop();
    await liveRunner.start();
    await liveRunner.waitFor(last.lastPosition);
    expect(snapshot(live)).toEqual(before);
  });
});
