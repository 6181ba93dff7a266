import type { StoredEvent } from '@app/event-store';
import { ENVIRONMENTS, EVENT_TYPES } from '../domain/event-catalogue';
import { secretRef, webhookCreated } from '../domain/testing/webhook-fixtures';
import { WebhookHistoryError } from '../domain/webhook.errors';
import type { WebhookCreated, WebhookEvent } from '../domain/webhook.events';
import { SubscriptionIndex } from './subscription-index';

/** Stores events as the event store would hand them over: stream versions and global positions. */
function history() {
  const versions = new Map<string, number>();
  let position = 0;
  const log: StoredEvent[] = [];
  return {
    log,
    add(...events: WebhookEvent[]): StoredEvent[] {
      return events.map((event) => {
        const version = (versions.get(event.data.id) ?? 0) + 1;
        versions.set(event.data.id, version);
        position += 1000;
        const stored: StoredEvent = {
          id: `event-${position}`,
          streamId: `webhook-${event.data.id}`,
          type: event.type,
          schemaVersion: 1,
          version,
          position,
          recordedAt: new Date('2026-05-01T00:00:00Z'),
          data: event.data,
          metadata: { actor: 'user:alice', correlationId: 'corr', causationId: 'cause' },
        };
        log.push(stored);
        return stored;
      });
    },
  };
}

const created = (id: string, overrides: Partial<WebhookCreated['data']> = {}) =>
  webhookCreated({ id, url: `https://hooks.example.com/${id}`, ...overrides });

async function applyAll(index: SubscriptionIndex, events: StoredEvent[]): Promise<void> {
  for (const event of events) await index.apply(event);
}

const ids = (targets: { id: string }[]) => targets.map((target) => target.id).sort();

/** The webhook `id` as the index matches it (its target), found through `match`: while it is active. */
const indexed = (index: SubscriptionIndex, id: string) =>
  ENVIRONMENTS.flatMap((environment) =>
    EVENT_TYPES.flatMap((type) => index.match(environment, type)),
  ).find((target) => target.id === id);

describe('SubscriptionIndex', () => {
  it('given active webhooks, then an event matches those of its environment subscribed to its type', async () => {
    const index = new SubscriptionIndex();
    const h = history();
    await applyAll(
      index,
      h.add(
        created('a', { eventTypes: ['license.created', 'license.updated'] }),
        created('b', { eventTypes: ['license.created'] }),
        created('staging', { environment: 'staging', eventTypes: ['license.created'] }),
        created('other-type', { eventTypes: ['activation.created'] }),
        created('inactive', { eventTypes: ['license.created'], active: false }),
      ),
    );

    expect(ids(index.match('production', 'license.created'))).toEqual(['a', 'b']);
    expect(ids(index.match('production', 'license.updated'))).toEqual(['a']);
    expect(ids(index.match('staging', 'license.created'))).toEqual(['staging']);
    expect(index.match('development', 'license.created')).toEqual([]);
    expect(index.match('production', 'telemetry.flagged')).toEqual([]);
    expect(index.size).toBe(4);
    expect(indexed(index, 'a')).toEqual({
      id: 'a',
      url: 'https://hooks.example.com/a',
      environment: 'production',
      eventTypes: ['license.created', 'license.updated'],
      secret: secretRef('first'),
      previousSecret: null,
      version: 1,
      retryPolicy: null,
      rateLimitPerSecond: null,
      headers: {},
    });
    expect(Object.isFrozen(indexed(index, 'a'))).toBe(true);
  });

  it('given a webhook, when deactivated it leaves the index and when reactivated it returns', async () => {
    const index = new SubscriptionIndex();
    const h = history();
    await applyAll(index, h.add(created('a'), created('b', { active: false })));
    expect(ids(index.match('production', 'license.created'))).toEqual(['a']);

    await applyAll(
      index,
      h.add(
        { type: 'WebhookDeactivated', data: { id: 'a', reason: 'automatic', detail: 'failing' } },
        { type: 'WebhookActivated', data: { id: 'b' } },
      ),
    );
    expect(ids(index.match('production', 'license.created'))).toEqual(['b']);

    await applyAll(index, h.add({ type: 'WebhookActivated', data: { id: 'a' } }));
    expect(ids(index.match('production', 'license.created'))).toEqual(['a', 'b']);
    expect(indexed(index, 'a')?.version).toBe(3);
    expect(index.size).toBe(2);
  });

  it('given a webhook, when its environment, event types or URL change, then it is re-indexed', async () => {
    const index = new SubscriptionIndex();
    const h = history();
    await applyAll(
      index,
      h.add(created('a', { environment: 'staging', eventTypes: ['license.created'] })),
    );
    await applyAll(
      index,
      h.add({
        type: 'WebhookUpdated',
        data: {
          id: 'a',
          changes: {
            environment: { from: 'staging', to: 'production' },
            eventTypes: { from: ['license.created'], to: ['license.revoked', 'contract.deleted'] },
            url: { from: 'https://hooks.example.com/a', to: 'https://new.example.com/in' },
          },
        },
      }),
    );

    expect(index.match('staging', 'license.created')).toEqual([]);
    expect(index.match('production', 'license.created')).toEqual([]);
    expect(index.match('production', 'license.revoked')).toEqual([
      expect.objectContaining({ id: 'a', url: 'https://new.example.com/in', version: 2 }),
    ]);
    expect(ids(index.match('production', 'contract.deleted'))).toEqual(['a']);

    // A change that does not concern delivery (the name) still moves the target's version on.
    await applyAll(
      index,
      h.add({
        type: 'WebhookUpdated',
        data: { id: 'a', changes: { name: { from: 'CRM Sync', to: 'Renamed' } } },
      }),
    );
    expect(indexed(index, 'a')?.version).toBe(3);
  });

  it('given a webhook, when its secret is rotated, then the target carries the new and the previous one', async () => {
    const index = new SubscriptionIndex();
    const h = history();
    await applyAll(
      index,
      h.add(created('a'), {
        type: 'SecretRotated',
        data: {
          id: 'a',
          secret: secretRef('second'),
          secretHint: 'whsec_…cond',
          previousSecret: secretRef('first'),
          previousSecretHint: 'whsec_…aSw1',
          previousSecretValidUntil: '2026-05-02T00:00:00.000Z',
        },
      }),
    );

    expect(index.match('production', 'license.created')).toEqual([
      expect.objectContaining({
        id: 'a',
        secret: secretRef('second'),
        previousSecret: {
          secret: secretRef('first'),
          validUntil: '2026-05-02T00:00:00.000Z',
        },
        version: 2,
      }),
    ]);
  });

  it('given a webhook, when its delivery settings change, then the target carries its policy, cap and headers, frozen', async () => {
    const index = new SubscriptionIndex();
    const h = history();
    await applyAll(
      index,
      h.add(created('a'), {
        type: 'DeliverySettingsChanged',
        data: {
          id: 'a',
          changes: {
            retryPolicy: { from: null, to: { retryIntervalsSeconds: [2, 4], jitter: 0 } },
            rateLimitPerSecond: { from: null, to: 3 },
            headers: { from: {}, to: { authorization: 'Bearer t' } },
          },
        },
      }),
    );

    const [target] = index.match('production', 'license.created');
    expect(target).toMatchObject({
      retryPolicy: { retryIntervalsSeconds: [2, 4], jitter: 0 },
      rateLimitPerSecond: 3,
      headers: { authorization: 'Bearer t' },
      version: 2,
    });
    expect(Object.isFrozen(target.headers)).toBe(true);
    expect(Object.isFrozen(target.retryPolicy?.retryIntervalsSeconds)).toBe(true);
  });

  it('given a deleted webhook, then it leaves the index and a replay from zero does not bring it back', async () => {
    const index = new SubscriptionIndex();
    const h = history();
    await applyAll(
      index,
      h.add(created('a'), created('b'), { type: 'WebhookDeleted', data: { id: 'a' } }),
    );
    expect(ids(index.match('production', 'license.created'))).toEqual(['b']);

    // A runner with an in-memory checkpoint replays everything from 0 when it starts again.
    const seen: string[][] = [];
    for (const event of h.log) {
      await index.apply(event);
      seen.push(ids(index.match('production', 'license.created')));
    }
    expect(seen).toEqual([['b'], ['b'], ['b']]);
    expect(index.size).toBe(1);
  });

  it('looks up any existing webhook for a decided send: active and inactive with their target', async () => {
    const index = new SubscriptionIndex();
    const h = history();
    await applyAll(index, h.add(created('on'), created('off', { active: false }), created('gone')));
    await applyAll(index, h.add({ type: 'WebhookDeleted', data: { id: 'gone' } }));

    expect(index.lookup('on')).toEqual({ status: 'active', target: indexed(index, 'on') });
    const off = index.lookup('off');
    expect(off.status).toBe('inactive');
    expect(off.status === 'inactive' && off.target.url).toBe('https://hooks.example.com/off');
    expect(index.lookup('gone')).toEqual({ status: 'deleted' });
    expect(index.lookup('never')).toEqual({ status: 'unknown' });
  });

  it('ignores events that are not webhook events', async () => {
    const index = new SubscriptionIndex();
    const [event] = history().add(created('a'));
    await index.apply({ ...event, type: 'SomethingElse', streamId: 'other-1' });
    expect(index.size).toBe(0);
  });

  it('rejects a broken stream (an event before the creation) with the domain error', async () => {
    const index = new SubscriptionIndex();
    const [event] = history().add({ type: 'WebhookActivated', data: { id: 'ghost' } });
    await expect(index.apply(event)).rejects.toThrow(WebhookHistoryError);
  });

  it('is not ready until marked, then resolves whoever waits', async () => {
    const index = new SubscriptionIndex();
    let resolved = false;
    const waiting = index.whenReady().then(() => (resolved = true));
    await Promise.resolve();
    expect(index.ready).toBe(false);
    expect(resolved).toBe(false);

    index.markReady();
    await waiting;
    expect(index.ready).toBe(true);
    expect(resolved).toBe(true);
    await expect(index.whenReady()).resolves.toBeUndefined();
  });
});
