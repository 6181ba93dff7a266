import { Kafka, logLevel } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import type { Connection } from 'mongoose';
import { PLATFORM_EVENTS_COLLECTION } from '@app/deliveries';
import { DATABASE_CONNECTION } from '@app/platform';
import { SubscriptionIndex, WebhookListProjection } from '@app/webhooks';
import { rebuildProjection } from '../../../scripts/projections-rebuild';
import { startTestApp } from '../../../test/support/test-app';
import { WorkerModule } from '../src/worker.module';
import {
  eventually,
  platformEvent,
  startDeliveryRig,
  type DeliveryRig,
} from '../../../test/support/delivery-rig';
import type { ReceivedRequest } from '../../../test/support/receiver';
import { within } from '../../../test/support/within';

const header = (request: ReceivedRequest, name: string): string =>
  String(request.headers[name] ?? '');

/** Verifies a received request as a receiver holding `secret` would. */
function verifies(request: ReceivedRequest, secret: string): boolean {
  try {
    new Webhook(secret).verify(request.rawBody, {
      'webhook-id': header(request, 'webhook-id'),
      'webhook-timestamp': header(request, 'webhook-timestamp'),
      'webhook-signature': header(request, 'webhook-signature'),
    });
    return true;
  } catch {
    return false;
  }
}

describe('event ingest and delivery (api, worker, Kafka, database, HTTPS receiver)', () => {
  let rig: DeliveryRig;

  beforeAll(async () => {
    rig = await startDeliveryRig({
      label: 'delivery',
      env: {
        DELIVERY_CONCURRENCY: '8',
        DELIVERY_CONCURRENCY_PER_ENDPOINT: '2',
        DELIVERY_TIMEOUT_MS: '20000',
        SECRET_ROTATION_GRACE_HOURS: '0.002',
      },
    });
    // A short schedule: the first attempt, then retries after 1 s and 1 s.
    const policy = await rig.call('PUT', '/settings/retry-policy', {
      body: { retryIntervalsSeconds: [1, 1], jitter: 0 },
    });
    expect(policy.status).toBe(200);
  });

  afterAll(() => rig?.close());

  async function deliveriesOf(webhookId: string) {
    const { status, body } = await rig.call('GET', `/deliveries?webhookId=${webhookId}&limit=100`);
    expect(status).toBe(200);
    return body.items as { id: string; status: string; eventId: string; attemptCount: number }[];
  }

  async function settled(webhookId: string, count: number, status = 'succeeded') {
    await eventually(async () => {
      const items = await deliveriesOf(webhookId);
      return items.length === count && items.every((item) => item.status === status);
    }, `${count} ${status} deliveries of ${webhookId}`);
    return deliveriesOf(webhookId);
  }

  it('delivers an event once to every matching webhook, signed; others get nothing', async () => {
    const a = await rig.createWebhook({
      name: 'A',
      path: '/a',
      eventTypes: ['activation.created'],
    });
    const b = await rig.createWebhook({
      name: 'B',
      path: '/b',
      eventTypes: ['activation.created', 'activation.failed'],
    });
    const staging = await rig.createWebhook({
      name: 'Staging',
      path: '/staging',
      environment: 'staging',
      eventTypes: ['activation.created'],
    });
    const inactive = await rig.createWebhook({
      name: 'Off',
      path: '/off',
      eventTypes: ['activation.created'],
      active: false,
    });
    const other = await rig.createWebhook({
      name: 'Licenses',
      path: '/licenses',
      eventTypes: ['license.created'],
    });

    const event = platformEvent('activation.created');
    await rig.publish(rig.topics.activations, [{ key: 'act-1', value: JSON.stringify(event) }]);

    const toA = await rig.receiver.waitFor((r) => r.path === '/a');
    const toB = await rig.receiver.waitFor((r) => r.path === '/b');
    for (const [request, secret] of [
      [toA, a.secret],
      [toB, b.secret],
    ] as const) {
      expect(verifies(request, secret)).toBe(true);
      expect(JSON.parse(request.rawBody)).toEqual(event);
      expect(header(request, 'webhook-id')).toBe(event.id);
      expect(header(request, 'x-webhook-event')).toBe('activation.created');
      expect(header(request, 'x-webhook-signature')).toBe(header(request, 'webhook-signature'));
    }
    expect(verifies(toA, b.secret)).toBe(false);

    const [deliveryToA] = await settled(a.id, 1);
    await settled(b.id, 1);
    expect(deliveryToA.eventId).toBe(event.id);
    // The match is recorded with the event: exactly A and B, none of the others.
    const recorded = await rig.api.app
      .get<Connection>(DATABASE_CONNECTION)
      .collection(PLATFORM_EVENTS_COLLECTION)
      .findOne({ _id: event.id as never });
    expect([...(recorded?.webhookIds ?? [])].sort()).toEqual([a.id, b.id].sort());
    for (const silent of [staging, inactive, other]) {
      expect(await deliveriesOf(silent.id)).toEqual([]);
    }
    expect(rig.receiver.requests.filter((r) => r.path === '/a')).toHaveLength(1);

    // The same event id again (a producer's retry): no second delivery.
    await rig.publish(rig.topics.activations, [{ value: JSON.stringify(event) }]);
    const marker = platformEvent('activation.created');
    await rig.publish(rig.topics.activations, [{ value: JSON.stringify(marker) }]);
    await rig.receiver.waitFor((r) => r.path === '/a' && JSON.parse(r.rawBody).id === marker.id);
    expect(
      rig.receiver.requests.filter((r) => r.path === '/a' && JSON.parse(r.rawBody).id === event.id),
    ).toHaveLength(1);
  });

  it('retries a failing receiver on the schedule until it recovers; one that never does ends failed', async () => {
    const flaky = await rig.createWebhook({
      name: 'Flaky',
      path: '/flaky',
      eventTypes: ['license.created'],
    });
    const broken = await rig.createWebhook({
      name: 'Broken',
      path: '/broken',
      eventTypes: ['license.created'],
    });
    let flakyCalls = 0;
    rig.receiver.respond((request) => {
      if (request.path === '/broken') return { status: 500, body: 'down for good' };
      if (request.path === '/flaky' && ++flakyCalls <= 2) return { status: 503, body: 'busy' };
      return { status: 200, body: 'ok' };
    });
    const event = platformEvent('license.created');
    await rig.publish(rig.topics.licenses, [{ value: JSON.stringify(event) }]);

    const [flakyDelivery] = await settled(flaky.id, 1, 'succeeded');
    const [brokenDelivery] = await settled(broken.id, 1, 'failed');
    rig.receiver.respond(() => ({ status: 200, body: 'ok' }));

    const flakyDetail = (await rig.call('GET', `/deliveries/${flakyDelivery.id}`)).body;
    expect(flakyDetail.attempts.map((a: { responseStatus: number }) => a.responseStatus)).toEqual([
      503, 503, 200,
    ]);
    const times = flakyDetail.attempts.map((a: { at: string }) => Date.parse(a.at));
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(1000);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(1000);
    // Every attempt signs afresh with the same webhook-id.
    const sent = rig.receiver.requests.filter((r) => r.path === '/flaky');
    expect(new Set(sent.map((r) => header(r, 'webhook-id')))).toEqual(new Set([event.id]));

    const brokenDetail = (await rig.call('GET', `/deliveries/${brokenDelivery.id}`)).body;
    expect(brokenDetail.attemptCount).toBe(3);
    expect(brokenDetail.attempts[2]).toMatchObject({
      responseStatus: 500,
      responseBody: 'down for good',
    });
    // Signed when sent, stored and shown redacted (a signature would let an auditor replay it).
    expect(brokenDetail.attempts[0].requestHeaders['webhook-signature']).toBe('[redacted]');
    expect(JSON.stringify(brokenDetail)).not.toContain(broken.secret);
  });

  it('dead-letters malformed messages with the reason while the good ones around them are delivered', async () => {
    const hook = await rig.createWebhook({
      name: 'Around',
      path: '/around',
      eventTypes: ['activation.failed'],
    });
    const before = platformEvent('activation.failed');
    const after = platformEvent('activation.failed');
    // One key: one partition, so the order is kept and the bad ones sit between the good ones.
    const key = 'one-partition';
    await rig.publish(rig.topics.activations, [
      { key, value: JSON.stringify(before) },
      { key, value: 'not json at all' },
      {
        key,
        value: JSON.stringify({ ...platformEvent('activation.failed'), environment: undefined }),
      },
      { key, value: JSON.stringify(platformEvent('license.exploded')) },
      { key, value: JSON.stringify(after) },
    ]);

    await rig.receiver.waitFor((r) => r.path === '/around' && r.rawBody.includes(before.id));
    await rig.receiver.waitFor((r) => r.path === '/around' && r.rawBody.includes(after.id));

    const kafka = new Kafka({
      clientId: 'dlq-reader',
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `dlq-reader-${Date.now()}` });
    const letters: { value: string; headers: Record<string, string> }[] = [];
    const gotThree = new Promise<void>((resolve) => {
      void consumer.connect().then(async () => {
        await consumer.subscribe({ topic: rig.topics.deadLetter, fromBeginning: true });
        await consumer.run({
          eachMessage: ({ message }) => {
            const headers = Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
            );
            letters.push({ value: String(message.value), headers });
            if (letters.length === 3) resolve();
            return Promise.resolve();
          },
        });
      });
    });
    try {
      await within(gotThree, 30_000, 'three dead letters');
    } finally {
      await consumer.disconnect();
    }
    expect(letters.map((l) => l.value)[0]).toBe('not json at all');
    const reasons = letters.map((l) => l.headers['x-dead-letter-reason']);
    expect(reasons[0]).toMatch(/not JSON/);
    expect(reasons[1]).toMatch(/environment/);
    expect(reasons[2]).toMatch(/license\.exploded/);
    for (const letter of letters) {
      expect(letter.headers['x-original-topic']).toBe(rig.topics.activations);
      expect(Number(letter.headers['x-original-offset'])).toBeGreaterThanOrEqual(0);
    }
    // Recorded once the receiver has answered: wait for both records, then check they are these.
    expect((await settled(hook.id, 2)).map((d) => d.eventId).sort()).toEqual(
      [before.id, after.id].sort(),
    );
  });

  it('signs with the old and the new secret during a rotation grace window, and only the new after', async () => {
    const hook = await rig.createWebhook({
      name: 'Rotating',
      path: '/rotating',
      eventTypes: ['product.created'],
    });
    const rotated = await rig.call('POST', `/webhooks/${hook.id}/secret/rotate`);
    expect(rotated.status).toBe(200);
    const newSecret: string = rotated.body.secret;
    await rig.workerSees(hook.id, 2);

    const during = platformEvent('product.created');
    await rig.publish(rig.topics.licenses, [{ value: JSON.stringify(during) }]);
    const first = await rig.receiver.waitFor((r) => r.rawBody.includes(during.id));
    expect(header(first, 'webhook-signature').split(' ')).toHaveLength(2);
    expect(verifies(first, hook.secret)).toBe(true);
    expect(verifies(first, newSecret)).toBe(true);

    // SECRET_ROTATION_GRACE_HOURS is 0.002 here: 7.2 s.
    const revealed = await rig.call('GET', `/webhooks/${hook.id}/secret`);
    const validUntil = Date.parse(revealed.body.previous.validUntil);
    await eventually(() => Date.now() > validUntil, 'the grace window to end');
    const afterwards = platformEvent('product.created');
    await rig.publish(rig.topics.licenses, [{ value: JSON.stringify(afterwards) }]);
    const second = await rig.receiver.waitFor((r) => r.rawBody.includes(afterwards.id));
    expect(header(second, 'webhook-signature').split(' ')).toHaveLength(1);
    expect(verifies(second, newSecret)).toBe(true);
    expect(verifies(second, hook.secret)).toBe(false);
  });

  it('keeps delivering to a healthy endpoint while another one hangs', async () => {
    const hanging = await rig.createWebhook({
      name: 'Hanging',
      path: '/hanging',
      eventTypes: ['contract.created'],
    });
    const healthy = await rig.createWebhook({
      name: 'Healthy',
      path: '/healthy',
      eventTypes: ['contract.created'],
    });
    rig.receiver.respond((r) => (r.path === '/hanging' ? 'hang' : { status: 200, body: 'ok' }));
    const events = Array.from({ length: 20 }, () => platformEvent('contract.created'));
    await rig.publish(
      rig.topics.licenses,
      events.map((event) => ({ value: JSON.stringify(event) })),
    );
    // The hanging endpoint holds its two slots (DELIVERY_TIMEOUT_MS is 20 s here) the whole time.
    await settled(healthy.id, 20);
    expect(rig.receiver.requests.filter((r) => r.path === '/hanging')).toHaveLength(2);
    expect(await deliveriesOf(hanging.id)).toEqual([]);
    rig.receiver.respond(() => ({ status: 200, body: 'ok' }));
    // Its 18 waiting deliveries then end unsent instead of reaching later tests' receiver.
    expect((await rig.call('DELETE', `/webhooks/${hanging.id}`)).status).toBe(204);
  });

  it('pauses a webhook whose endpoint answers 410 Gone, and the history says why', async () => {
    const gone = await rig.createWebhook({
      name: 'Gone',
      path: '/gone',
      eventTypes: ['telemetry.flagged'],
    });
    rig.receiver.respond((r) => (r.path === '/gone' ? { status: 410 } : { status: 200 }));
    await rig.publish(rig.topics.licenses, [
      { value: JSON.stringify(platformEvent('telemetry.flagged')) },
    ]);
    const [delivery] = await settled(gone.id, 1, 'failed');
    expect(delivery.attemptCount).toBe(1);
    await eventually(
      async () => (await rig.call('GET', `/webhooks/${gone.id}`)).body.status === 'inactive',
      'the webhook to be paused',
    );
    const history = (await rig.call('GET', `/webhooks/${gone.id}/history`)).body;
    const items = history.items ?? history;
    expect(JSON.stringify(items.at(-1))).toMatch(/automatic/);
    expect(JSON.stringify(items.at(-1))).toMatch(/410/);
    rig.receiver.respond(() => ({ status: 200, body: 'ok' }));
  });

  it('sends a signed test event to one webhook on request, and retries a failed delivery by hand', async () => {
    const hook = await rig.createWebhook({
      name: 'Tested',
      path: '/tested',
      eventTypes: ['license.revoked'],
    });
    const test = await rig.call('POST', `/webhooks/${hook.id}/test`, { role: 'admin' });
    expect(test.status).toBe(202);
    const received = await rig.receiver.waitFor((r) => r.path === '/tested');
    expect(JSON.parse(received.rawBody).type).toBe('webhook.test');
    expect(verifies(received, hook.secret)).toBe(true);
    await eventually(
      async () =>
        (await rig.call('GET', `/deliveries/${test.body.id}`)).body.status === 'succeeded',
      'the test delivery to succeed',
    );

    rig.receiver.respond((r) => (r.path === '/tested' ? { status: 500 } : { status: 200 }));
    await rig.publish(rig.topics.licenses, [
      { value: JSON.stringify(platformEvent('license.revoked')) },
    ]);
    await eventually(
      async () => (await deliveriesOf(hook.id)).some((d) => d.status === 'failed'),
      'the delivery to fail',
    );
    const failedDelivery = (await deliveriesOf(hook.id)).find((d) => d.status === 'failed')!;
    rig.receiver.respond(() => ({ status: 200, body: 'ok' }));
    const retried = await rig.call('POST', `/deliveries/${failedDelivery.id}/retry`, {
      role: 'admin',
    });
    expect(retried.status).toBe(202);
    await eventually(
      async () =>
        (await rig.call('GET', `/deliveries/${failedDelivery.id}`)).body.status === 'succeeded',
      'the manual retry to succeed',
    );
    const detail = (await rig.call('GET', `/deliveries/${failedDelivery.id}`)).body;
    expect(detail.attempts.at(-1)).toMatchObject({ trigger: 'manual', responseStatus: 200 });
    expect(detail.attemptCount).toBe(4);
  });

  it('serves Prometheus metrics without a token: delivery counters on the worker, process metrics on both', async () => {
    const worker = await fetch(`${rig.worker!.url}/metrics`);
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await worker.text();
    const count = (line: RegExp) => Number(text.match(line)?.[1] ?? 0);
    expect(
      count(/^webhook_delivery_attempts_total\{outcome="succeeded"\} (\d+)$/m),
    ).toBeGreaterThan(0);
    expect(count(/^webhook_delivery_attempts_total\{outcome="gone"\} (\d+)$/m)).toBe(1);
    expect(count(/^platform_events_dead_lettered_total (\d+)$/m)).toBe(3);
    expect(count(/^platform_events_repeated_total (\d+)$/m)).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^webhook_deliveries_in_memory \d+$/m);

    const api = await fetch(`${rig.api.url}/metrics`);
    expect(api.status).toBe(200);
    expect(await api.text()).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it('sends nothing when projections are rebuilt or replayed: only Kafka and the delivery queue send', async () => {
    const requestsBefore = rig.receiver.requests.length;
    // A rebuild of the list view from the whole log, beside the live one, swapped in.
    await rebuildProjection(
      rig.api.app.get<Connection>(DATABASE_CONNECTION),
      new WebhookListProjection(),
      { dropDelayMs: 0 },
    );
    // A second worker replays every webhook event into its index and the retry policy from zero.
    const replaying = await startTestApp(WorkerModule, {
      label: 'delivery_replay',
      mongodbUri: () => rig.api.database.uri,
      env: {
        ...rig.env,
        KAFKA_TOPICS: `${rig.topics.licenses}.unused`,
        KAFKA_CONSUMER_GROUP: `replay-${Date.now()}`,
      },
    });
    try {
      const index = replaying.app.get(SubscriptionIndex);
      await within(index.whenReady(), 20_000, 'the replaying worker to catch up');
      expect(index.size).toBeGreaterThan(0);
    } finally {
      await replaying.close();
    }
    // One event afterwards, delivered once by the live worker, and nothing else was sent.
    const hook = await rig.createWebhook({
      name: 'After replay',
      path: '/after-replay',
      eventTypes: ['product.deleted'],
    });
    const event = platformEvent('product.deleted');
    await rig.publish(rig.topics.licenses, [{ value: JSON.stringify(event) }]);
    await rig.receiver.waitFor((r) => r.path === '/after-replay');
    await settled(hook.id, 1);
    expect(rig.receiver.requests.slice(requestsBefore).map((r) => r.path)).toEqual([
      '/after-replay',
    ]);
  });
});
