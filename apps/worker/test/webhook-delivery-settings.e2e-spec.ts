import { Kafka, logLevel } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import type { Connection } from 'mongoose';
import { DATABASE_CONNECTION } from '@app/platform';
import {
  eventually,
  platformEvent,
  startDeliveryRig,
  type DeliveryRig,
} from '../../../test/support/delivery-rig';
import type { ReceivedRequest } from '../../../test/support/receiver';
import { startWorkerProcess, type WorkerProcess } from '../../../test/support/worker-process';

const header = (request: ReceivedRequest, name: string): string =>
  String(request.headers[name] ?? '');

/** PATCHes a webhook's settings and waits until the worker's index has the new version. */
async function configure(rig: DeliveryRig, id: string, settings: Record<string, unknown>) {
  const { status, body } = await rig.call('PATCH', `/webhooks/${id}`, { body: settings });
  expect(status).toBe(200);
  await rig.workerSees(id, body.version as number);
  return body as { version: number };
}

async function deliveriesOf(rig: DeliveryRig, webhookId: string) {
  const { body } = await rig.call('GET', `/deliveries?webhookId=${webhookId}&limit=100`);
  return body.items as { id: string; status: string; attemptCount: number }[];
}

describe("a webhook's own settings in the worker (api, worker, Kafka, database, HTTPS receiver)", () => {
  let rig: DeliveryRig;

  beforeAll(async () => {
    rig = await startDeliveryRig({ label: 'settings' });
    // A default policy that would not retry within the test: only the override can.
    const policy = await rig.call('PUT', '/settings/retry-policy', {
      body: { retryIntervalsSeconds: [3600], jitter: 0 },
    });
    expect(policy.status).toBe(200);
  });

  afterAll(() => rig?.close());

  it('sends the custom headers after ours, leaves the signature headers as they were, and records the values redacted', async () => {
    const hook = await rig.createWebhook({
      name: 'Custom headers',
      path: '/custom',
      eventTypes: ['license.created'],
    });
    await configure(rig, hook.id, {
      headers: { Authorization: 'Bearer receiver-token-123', 'X-Team': 'crm' },
    });

    const event = platformEvent('license.created');
    await rig.publish(rig.topics.licenses, [{ value: JSON.stringify(event) }]);
    const request = await rig.receiver.waitFor((r) => r.path === '/custom');

    expect(header(request, 'authorization')).toBe('Bearer receiver-token-123');
    expect(header(request, 'x-team')).toBe('crm');
    expect(header(request, 'webhook-id')).toBe(event.id);
    expect(header(request, 'content-type')).toBe('application/json');
    expect(header(request, 'user-agent')).toContain('LMP-Webhooks');
    // The signature still verifies: the extra headers changed nothing that is signed.
    expect(() =>
      new Webhook(hook.secret).verify(request.rawBody, {
        'webhook-id': header(request, 'webhook-id'),
        'webhook-timestamp': header(request, 'webhook-timestamp'),
        'webhook-signature': header(request, 'webhook-signature'),
      }),
    ).not.toThrow();
    // Ours come first on the wire, then the webhook's own.
    const names = Object.keys(request.headers);
    expect(names.indexOf('authorization')).toBeGreaterThan(names.indexOf('webhook-signature'));

    await eventually(
      async () => (await deliveriesOf(rig, hook.id))[0]?.status === 'succeeded',
      'the delivery to be recorded',
    );
    const [delivery] = await deliveriesOf(rig, hook.id);
    const detail = (await rig.call('GET', `/deliveries/${delivery.id}`)).body;
    expect(detail.attempts[0].requestHeaders).toMatchObject({
      authorization: '[redacted]',
      'x-team': '[redacted]',
      'webhook-id': event.id,
    });
    expect(JSON.stringify(detail)).not.toContain('receiver-token-123');
  });

  it('schedules the retries of a webhook with its own policy at its intervals, then ends failed', async () => {
    const hook = await rig.createWebhook({
      name: 'Own policy',
      path: '/own-policy',
      eventTypes: ['license.created'],
    });
    await configure(rig, hook.id, { retryPolicy: { retryIntervalsSeconds: [1, 2], jitter: 0 } });
    rig.receiver.respond((request) =>
      request.path === '/own-policy' ? { status: 500, body: 'down' } : { status: 200 },
    );

    await rig.publish(rig.topics.licenses, [
      { value: JSON.stringify(platformEvent('license.created')) },
    ]);
    await eventually(
      async () => (await deliveriesOf(rig, hook.id))[0]?.status === 'failed',
      'the delivery to fail after the override policy',
      30_000,
    );
    rig.receiver.respond(() => ({ status: 200, body: 'ok' }));

    const [delivery] = await deliveriesOf(rig, hook.id);
    const detail = (await rig.call('GET', `/deliveries/${delivery.id}`)).body;
    // One immediate attempt and the policy's two retries; the default ([3600]) would have made 1.
    expect(detail.attemptCount).toBe(3);
    const times = detail.attempts.map((attempt: { at: string }) => Date.parse(attempt.at));
    const gaps = [times[1] - times[0], times[2] - times[1]];
    expect(gaps[0]).toBeGreaterThanOrEqual(1000);
    expect(gaps[0]).toBeLessThan(2000);
    expect(gaps[1]).toBeGreaterThanOrEqual(2000);
    expect(gaps[1]).toBeLessThan(3500);
  });
});

describe('a rate cap across two worker processes', () => {
  const CAP = 4;
  const EVENTS = 24;
  let rig: DeliveryRig;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    rig = await startDeliveryRig({ label: 'rate_cap', worker: false });
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await rig?.close();
  });

  it(`never lets the receiver see more than ${CAP} requests in a second, and delays the rest rather than failing them`, async () => {
    // Two partitions, so both workers take events from Kafka (and both poll the queue).
    const brokers = (rig.env.KAFKA_BROKERS ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(
      ',',
    );
    const admin = new Kafka({
      clientId: 'rate-cap-e2e',
      brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [rig.topics.licenses, rig.topics.activations].map((topic) => ({
        topic,
        numPartitions: 2,
      })),
      waitForLeaders: true,
    });
    await admin.disconnect();

    const { status, body } = await rig.call('POST', '/webhooks', {
      body: {
        name: 'Capped',
        url: `${rig.receiver.url}/capped`,
        environment: 'production',
        eventTypes: ['license.created'],
        rateLimitPerSecond: CAP,
      },
    });
    expect(status).toBe(201);
    const hookId = body.id as string;
    workers.push(await startWorkerProcess(rig.env), await startWorkerProcess(rig.env));

    // Both workers are ready once each has delivered a warm-up event.
    const warmUps = [0, 1].map((n) => platformEvent('license.created', { id: `evt_warm_${n}` }));
    await rig.publish(
      rig.topics.licenses,
      warmUps.map((event, n) => ({ key: `warm-${n}`, partition: n, value: JSON.stringify(event) })),
    );
    await eventually(
      () => warmUps.every((e) => rig.receiver.requests.some((r) => r.rawBody.includes(e.id))),
      'the warm-up events to arrive',
      90_000,
    );

    // While the burst goes out, note which workers hold slots of the webhook.
    const slots = rig.api.app
      .get<Connection>(DATABASE_CONNECTION)
      .collection('delivery_rate_slots');
    const owners = new Set<string>();
    // Awaited alongside the burst: resolves once both workers have been seen holding slots (or
    // times out, and the assertion below says how many were).
    const bothWorkersSeen = eventually(
      async () => {
        for (const slot of await slots.find({ webhookId: hookId }).toArray()) {
          owners.add(String(slot.owner));
        }
        return owners.size >= 2;
      },
      'both workers to hold slots of the webhook',
      60_000,
    ).catch(() => undefined);

    const events = Array.from({ length: EVENTS }, () => platformEvent('license.created'));
    const burstStart = Date.now();
    await rig.publish(
      rig.topics.licenses,
      events.map((event, n) => ({ key: `k${n}`, partition: n % 2, value: JSON.stringify(event) })),
    );
    const burst = () =>
      rig.receiver.requests.filter((r) => events.some((event) => r.rawBody.includes(event.id)));
    await eventually(() => burst().length >= EVENTS, 'every event of the burst to arrive', 60_000);
    await bothWorkersSeen;

    const perSecond = new Map<number, number>();
    for (const request of burst()) {
      const second = Math.floor(request.receivedAt.getTime() / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(CAP);
    // Delayed, as a cap of 4/s must: 24 requests take at least 5 seconds.
    expect(Date.now() - burstStart).toBeGreaterThanOrEqual(((EVENTS - CAP) / CAP) * 1000);
    expect(owners.size).toBe(2);
    await eventually(async () => {
      const items = await deliveriesOf(rig, hookId);
      return items.length === EVENTS + 2 && items.every((item) => item.status === 'succeeded');
    }, 'every delivery to be recorded as succeeded');
  });
});
