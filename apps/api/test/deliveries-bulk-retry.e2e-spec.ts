import { EventStore } from '@app/event-store';
import { webhookActivityStreamId } from '@app/webhooks';
import {
  eventually,
  platformEvent,
  startDeliveryRig,
  type DeliveryRig,
} from '../../../test/support/delivery-rig';

interface Item {
  id: string;
  webhookId: string;
  status: string;
  requestedBy: string | null;
}

// Bulk retry of a filtered set of failed deliveries, with everything real: deliveries fail against
// a receiver answering 500 (or 404), the page's loop re-sends them a batch per call until the
// cursor is null, and the worker's new attempts succeed.
describe('bulk retry of failed deliveries (api, worker, receiver)', () => {
  let rig: DeliveryRig;
  let a: string;
  let b: string;
  let staging: string;
  let answer = 500;

  async function list(query: string): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const page: string = cursor ? `&cursor=${cursor}` : '';
      const { status, body } = await rig.call('GET', `/deliveries?limit=100&${query}${page}`, {
        role: 'auditor',
      });
      expect(status).toBe(200);
      items.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    return items;
  }

  const bulk = (body: unknown, role: 'admin' | 'auditor' = 'admin') =>
    rig.call('POST', '/deliveries/retry', { role, body });

  const activityOf = (webhookId: string) =>
    rig.api.app.get(EventStore).readStream(webhookActivityStreamId(webhookId));

  beforeAll(async () => {
    rig = await startDeliveryRig({ label: 'deliveries_bulk_retry' });
    const policy = await rig.call('PUT', '/settings/retry-policy', {
      body: { retryIntervalsSeconds: [], jitter: 0 },
    });
    expect(policy.status).toBe(200);
    rig.receiver.respond((request) =>
      request.path === '/staging' ? { status: 404 } : { status: answer },
    );
    const types = ['license.created'];
    a = (await rig.createWebhook({ name: 'A', path: '/a', eventTypes: types })).id;
    b = (await rig.createWebhook({ name: 'B', path: '/b', eventTypes: types })).id;
    staging = (
      await rig.createWebhook({
        name: 'Staging',
        path: '/staging',
        environment: 'staging',
        eventTypes: types,
      })
    ).id;
    const production = Array.from({ length: 7 }, () => platformEvent('license.created'));
    const inStaging = Array.from({ length: 3 }, () =>
      platformEvent('license.created', { environment: 'staging' }),
    );
    await rig.publish(
      rig.topics.licenses,
      [...production, ...inStaging].map((event) => ({
        key: event.id,
        value: JSON.stringify(event),
      })),
    );
    await eventually(async () => {
      const items = await list('status=failed');
      return items.length === 17;
    }, 'the 17 deliveries failed');
  });

  afterAll(() => rig?.close());

  it.each([
    [{}, 17],
    [{ environment: 'production' }, 14],
    [{ environment: 'staging' }, 3],
    [{ statusClass: '5xx' }, 14],
    [{ statusClass: '4xx' }, 3],
    [{ statusClass: 'none' }, 0],
    [{ webhookId: 'A' }, 7],
    [{ webhookId: 'A', statusClass: '4xx' }, 0],
    [{ eventType: 'license.assigned' }, 0],
  ] as const)('a dry run of %j counts %i, sending nothing', async (filter, count) => {
    const asked = { ...filter, ...('webhookId' in filter ? { webhookId: a } : {}) };
    const sent = rig.receiver.requests.length;
    const { status, body } = await bulk({ filter: asked, dryRun: true });
    expect(status).toBe(200);
    expect(body).toEqual({ count, capped: false });
    expect(rig.receiver.requests.length).toBe(sent);
  });

  it.each([
    ['an unknown status class', { filter: { statusClass: '6xx' } }],
    ['an unknown environment', { filter: { environment: 'prod' } }],
    ['a field that is no filter', { filter: { status: 'succeeded' } }],
    ['no filter', {}],
    ['a limit above 500', { filter: {}, limit: 501 }],
    ['a limit of 0', { filter: {}, limit: 0 }],
    ['a bad time', { filter: { from: 'yesterday' } }],
  ])('refuses %s as a validation problem', async (_what, body) => {
    const response = await bulk(body);
    expect(response.status).toBe(400);
    expect(response.body.type).toMatch(/validation-error$/);
  });

  it('refuses a cursor it did not hand out', async () => {
    const response = await bulk({ filter: {}, cursor: 'not-a-cursor' });
    expect(response.status).toBe(400);
    expect(response.body.type).toMatch(/invalid-cursor$/);
  });

  it('refuses auditors, dry run or not', async () => {
    expect((await bulk({ filter: {}, dryRun: true }, 'auditor')).status).toBe(403);
    expect((await bulk({ filter: {} }, 'auditor')).status).toBe(403);
  });

  it('loops a filtered set to completion a batch per call: each re-sent once, by who asked, recorded per webhook', async () => {
    const filter = { environment: 'production' };
    const { body: preview } = await bulk({ filter, dryRun: true });
    answer = 200;
    const beforeA = (await activityOf(a)).length;
    const beforeB = (await activityOf(b)).length;

    const calls: number[] = [];
    let cursor: string | null = null;
    do {
      const { status, body } = await bulk({ filter, limit: 3, ...(cursor ? { cursor } : {}) });
      expect(status).toBe(202);
      expect(body.retried).toBeLessThanOrEqual(3);
      calls.push(body.retried);
      cursor = body.nextCursor;
      expect(calls.length).toBeLessThan(20);
    } while (cursor);

    expect(calls.reduce((sum, n) => sum + n, 0)).toBe(preview.count);
    expect(calls.length).toBeGreaterThanOrEqual(5);
    await eventually(
      async () => (await list('environment=production&status=succeeded')).length === 14,
      'the 14 re-sent deliveries to succeed',
    );
    const resent = await list('environment=production');
    expect(resent.every((item) => item.requestedBy === 'user:admin-e2e')).toBe(true);
    // Once each: 14 first attempts and 14 re-sends to A and B.
    const toAandB = rig.receiver.requests.filter((r) => r.path === '/a' || r.path === '/b');
    expect(toAandB).toHaveLength(28);
    // The staging ones were not part of the set.
    expect((await list('environment=staging')).every((item) => item.status === 'failed')).toBe(
      true,
    );
    expect((await bulk({ filter: {}, dryRun: true })).body).toEqual({ count: 3, capped: false });

    for (const [webhookId, before] of [
      [a, beforeA],
      [b, beforeB],
    ] as const) {
      const events = (await activityOf(webhookId)).slice(before);
      expect(events.length).toBeGreaterThanOrEqual(1);
      for (const event of events) {
        expect(event).toMatchObject({
          type: 'FailedDeliveriesRetryRequested',
          schemaVersion: 1,
          data: { webhookId, filter },
          metadata: { actor: 'user:admin-e2e' },
        });
      }
      const retried = events.reduce(
        (sum, event) => sum + (event.data as { retried: number }).retried,
        0,
      );
      expect(retried).toBe(7);
    }
    expect(await activityOf(staging)).toEqual([]);
  });
});
