import { createServer } from 'node:net';
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
  environment: string;
  requestedBy: string | null;
  attemptCount: number;
  lastAttempt: { responseStatus: number | null } | null;
}

/** A port on 127.0.0.1 that nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// The search and the "who asked" of the deliveries API with everything real: the api, a worker,
// Kafka, the database and an HTTPS receiver answering 200, 404 or 503 by path, and a webhook whose
// endpoint refuses connections (no HTTP answer at all).
describe('deliveries search and who asked (api, worker, receiver)', () => {
  let rig: DeliveryRig;
  const hooks: Record<'ok' | 'missing' | 'broken' | 'refused' | 'staging', string> = {
    ok: '',
    missing: '',
    broken: '',
    refused: '',
    staging: '',
  };
  const since = new Date(Date.now() - 60_000).toISOString();
  /** What `/flaky` answers (a webhook with retries of its own). */
  let flaky = 503;

  async function list(query: string): Promise<Item[]> {
    const { status, body } = await rig.call('GET', `/deliveries?limit=100&${query}`, {
      role: 'auditor',
    });
    expect(status).toBe(200);
    return body.items as Item[];
  }

  const webhooksOf = async (query: string) =>
    (await list(query)).map((item) => item.webhookId).sort();

  const activityOf = (webhookId: string) =>
    rig.api.app.get(EventStore).readStream(webhookActivityStreamId(webhookId));

  async function detail(id: string) {
    const { status, body } = await rig.call('GET', `/deliveries/${id}`, { role: 'auditor' });
    expect(status).toBe(200);
    return body;
  }

  beforeAll(async () => {
    rig = await startDeliveryRig({ label: 'deliveries_search' });
    // No retries: each delivery is finished after its first attempt.
    const policy = await rig.call('PUT', '/settings/retry-policy', {
      body: { retryIntervalsSeconds: [], jitter: 0 },
    });
    expect(policy.status).toBe(200);
    rig.receiver.respond((request) =>
      request.path === '/missing'
        ? { status: 404 }
        : request.path === '/broken'
          ? { status: 503 }
          : request.path === '/flaky'
            ? { status: flaky }
            : { status: 200, body: 'ok' },
    );
    const types = ['license.created'];
    hooks.ok = (await rig.createWebhook({ name: 'OK', path: '/ok', eventTypes: types })).id;
    hooks.missing = (
      await rig.createWebhook({ name: 'Gone', path: '/missing', eventTypes: types })
    ).id;
    hooks.broken = (
      await rig.createWebhook({ name: 'Down', path: '/broken', eventTypes: types })
    ).id;
    hooks.staging = (
      await rig.createWebhook({
        name: 'Staging',
        path: '/staging',
        environment: 'staging',
        eventTypes: types,
      })
    ).id;
    const refused = await rig.call('POST', '/webhooks', {
      body: {
        name: 'Refused',
        url: `https://127.0.0.1:${await closedPort()}/hooks`,
        environment: 'production',
        eventTypes: types,
      },
    });
    expect(refused.status).toBe(201);
    hooks.refused = refused.body.id;
    await rig.workerSees(hooks.refused);

    const production = platformEvent('license.created');
    const staging = platformEvent('license.created', { environment: 'staging' });
    await rig.publish(rig.topics.licenses, [
      { key: 'p', value: JSON.stringify(production) },
      { key: 's', value: JSON.stringify(staging) },
    ]);
    await eventually(async () => {
      const items = await list('');
      return items.length === 5 && items.every((item) => item.attemptCount === 1);
    }, 'the five first attempts recorded');
  });

  afterAll(() => rig?.close());

  describe('filters', () => {
    it.each([
      ['statusClass=2xx', ['ok', 'staging']],
      ['statusClass=4xx', ['missing']],
      ['statusClass=5xx', ['broken']],
      ['statusClass=none', ['refused']],
      ['statusClass=3xx', []],
      ['environment=staging', ['staging']],
      ['environment=production', ['ok', 'missing', 'broken', 'refused']],
      ['environment=production&statusClass=2xx', ['ok']],
      ['environment=development', []],
      ['status=failed&statusClass=none', ['refused']],
      ['status=succeeded&environment=staging', ['staging']],
    ] as const)('GET /deliveries?%s finds the deliveries to %j', async (query, expected) => {
      const names = Object.fromEntries(Object.entries(hooks).map(([name, id]) => [id, name]));
      expect((await webhooksOf(query)).map((id) => names[id]).sort()).toEqual([...expected].sort());
    });

    it('combines the webhook filter with the new ones', async () => {
      expect(await webhooksOf(`webhookId=${hooks.broken}&statusClass=5xx`)).toEqual([hooks.broken]);
      expect(await webhooksOf(`webhookId=${hooks.broken}&statusClass=2xx`)).toEqual([]);
      expect(await webhooksOf(`webhookId=${hooks.ok}&environment=staging`)).toEqual([]);
    });

    it('pages a filtered list with the cursor to its end, no repeats', async () => {
      const pages: Item[][] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${cursor}` : '';
        const { status, body } = await rig.call(
          'GET',
          `/deliveries?environment=production&limit=2${query}`,
          { role: 'auditor' },
        );
        expect(status).toBe(200);
        pages.push(body.items);
        cursor = body.nextCursor;
      } while (cursor);
      const ids = pages.flat().map((item) => item.id);
      expect(pages.map((page) => page.length)).toEqual([2, 2]);
      expect(new Set(ids).size).toBe(4);
    });

    it.each(['statusClass=6xx', 'statusClass=', 'environment=prod'])(
      'refuses %s as a validation problem',
      async (query) => {
        const { status, body } = await rig.call('GET', `/deliveries?${query}`, { role: 'auditor' });
        expect(status).toBe(400);
        expect(body.type).toMatch(/validation-error$/);
      },
    );

    it('lists purely automatic deliveries as asked by nobody', async () => {
      const items = await list(`webhookId=${hooks.ok}`);
      expect(items[0].requestedBy).toBeNull();
    });
  });

  describe('who asked', () => {
    it('a manual retry names its caller on the delivery, on the attempt it causes, and in the webhook activity', async () => {
      const [missing] = await list(`webhookId=${hooks.missing}`);
      const before = (await activityOf(hooks.missing)).length;

      const retry = await rig.call('POST', `/deliveries/${missing.id}/retry`, {
        role: 'admin',
        headers: { 'x-correlation-id': 'corr-retry-1' },
      });

      expect(retry.status).toBe(202);
      // Asked for, not made yet: the delivery already names who asked.
      expect(retry.body.requestedBy).toBe('user:admin-e2e');
      await eventually(
        async () => (await detail(missing.id)).attempts.length === 2,
        'the manual attempt',
      );
      const after = await detail(missing.id);
      expect(after.requestedBy).toBe('user:admin-e2e');
      expect(after.attempts.map((a: { requestedBy: string | null }) => a.requestedBy)).toEqual([
        null,
        'user:admin-e2e',
      ]);
      expect(after.attempts[1].trigger).toBe('manual');
      const events = (await activityOf(hooks.missing)).slice(before);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'DeliveryRetryRequested',
        schemaVersion: 1,
        data: { webhookId: hooks.missing, deliveryId: missing.id },
        metadata: { actor: 'user:admin-e2e', correlationId: 'corr-retry-1' },
      });
      expect(events[0].metadata.causationId).toMatch(/^request:/);
    });

    it('a test send names its caller on the delivery and its attempt, and in the activity', async () => {
      const test = await rig.call('POST', `/webhooks/${hooks.ok}/test`, { role: 'admin' });
      expect(test.status).toBe(202);
      expect(test.body.requestedBy).toBe('user:admin-e2e');
      await eventually(
        async () => (await detail(test.body.id)).status === 'succeeded',
        'the test delivery',
      );
      const sent = await detail(test.body.id);
      expect(sent.requestedBy).toBe('user:admin-e2e');
      expect(sent.attempts[0].requestedBy).toBe('user:admin-e2e');
      const [listed] = await list(`webhookId=${hooks.ok}&eventType=webhook.test`);
      expect(listed).toMatchObject({ id: test.body.id, requestedBy: 'user:admin-e2e' });
      const events = await activityOf(hooks.ok);
      expect(events.at(-1)).toMatchObject({
        type: 'TestDeliveryRequested',
        data: { webhookId: hooks.ok, deliveryId: test.body.id },
        metadata: { actor: 'user:admin-e2e' },
      });
    });

    it('a recover preview counts what a recover then re-sends, sending and recording nothing; the recover names its caller', async () => {
      const [broken] = await list(`webhookId=${hooks.broken}`);
      const before = (await activityOf(hooks.broken)).length;
      const requestsBefore = rig.receiver.requests.length;

      const preview = await rig.call('POST', `/webhooks/${hooks.broken}/recover`, {
        role: 'admin',
        body: { since, dryRun: true },
      });

      expect(preview.status).toBe(200);
      expect(preview.body).toEqual({ recoverable: 1, capped: false, maxPerCall: 10_000 });
      expect((await activityOf(hooks.broken)).length).toBe(before);
      expect((await detail(broken.id)).status).toBe('failed');

      const recover = await rig.call('POST', `/webhooks/${hooks.broken}/recover`, {
        role: 'admin',
        body: { since },
      });

      expect(recover.status).toBe(202);
      expect(recover.body).toEqual({
        recovered: preview.body.recoverable,
        capped: false,
        maxPerCall: 10_000,
      });
      await eventually(
        async () => (await detail(broken.id)).attempts.length === 2,
        'the recovered attempt',
      );
      expect(rig.receiver.requests.length).toBeGreaterThan(requestsBefore);
      // Re-sent once and failed again (one shot): recoverable again, as a recover would see it.
      await eventually(async () => {
        const again = await rig.call('POST', `/webhooks/${hooks.broken}/recover`, {
          role: 'admin',
          body: { since, dryRun: true },
        });
        return again.status === 200 && again.body.recoverable === 1;
      }, 'the failed re-send to be recoverable again');
      const recovered = await detail(broken.id);
      expect(recovered.requestedBy).toBe('user:admin-e2e');
      expect(recovered.attempts[1].requestedBy).toBe('user:admin-e2e');
      const events = (await activityOf(hooks.broken)).slice(before);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'DeliveriesRecoveryRequested',
        schemaVersion: 1,
        data: {
          webhookId: hooks.broken,
          since: new Date(since).toISOString(),
          recovered: 1,
          capped: false,
        },
        metadata: { actor: 'user:admin-e2e' },
      });
    });

    it('after a retry brought forward, the automatic retries that follow keep naming who asked last, while their own attempts name nobody', async () => {
      // Its own policy: a retry in 10 minutes (brought forward by hand), then one after 1 s.
      const created = await rig.call('POST', '/webhooks', {
        body: {
          name: 'Flaky',
          url: `${rig.receiver.url}/flaky`,
          environment: 'production',
          eventTypes: ['license.assigned'],
          retryPolicy: { retryIntervalsSeconds: [600, 1], jitter: 0 },
        },
      });
      expect(created.status).toBe(201);
      await rig.workerSees(created.body.id);
      await rig.publish(rig.topics.licenses, [
        { key: 'f', value: JSON.stringify(platformEvent('license.assigned')) },
      ]);
      let retrying: Item | undefined;
      await eventually(async () => {
        [retrying] = await list(`webhookId=${created.body.id}&status=retrying`);
        return retrying !== undefined;
      }, 'the first attempt to fail and schedule a retry');
      expect(retrying!.requestedBy).toBeNull();

      const retry = await rig.call('POST', `/deliveries/${retrying!.id}/retry`, { role: 'admin' });
      expect(retry.status).toBe(202);
      await eventually(
        async () => (await detail(retrying!.id)).attempts.length === 2,
        'the attempt brought forward',
      );
      flaky = 200;
      await eventually(
        async () => (await detail(retrying!.id)).status === 'succeeded',
        'the automatic retry after it',
      );

      const done = await detail(retrying!.id);
      expect(done.attempts.map((a: { trigger: string }) => a.trigger)).toEqual([
        'automatic',
        'manual',
        'automatic',
      ]);
      expect(done.attempts.map((a: { requestedBy: string | null }) => a.requestedBy)).toEqual([
        null,
        'user:admin-e2e',
        null,
      ]);
      expect(done.requestedBy).toBe('user:admin-e2e');
    });

    it('refuses a recover preview to auditors', async () => {
      const { status } = await rig.call('POST', `/webhooks/${hooks.broken}/recover`, {
        role: 'auditor',
        body: { since, dryRun: true },
      });
      expect(status).toBe(403);
    });
  });
});
