import { Webhook } from 'standardwebhooks';
import {
  eventually,
  platformEvent,
  startDeliveryRig,
  type DeliveryRig,
} from '../../../test/support/delivery-rig';
import type { ReceivedRequest } from '../../../test/support/receiver';

const header = (request: ReceivedRequest, name: string): string =>
  String(request.headers[name] ?? '');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON body, read field by field
type Json = Record<string, any>;

/** The request as a receiver holding `secret` verifies it (Standard Webhooks), or throws. */
function verified(request: ReceivedRequest, secret: string): Json {
  return new Webhook(secret).verify(request.rawBody, {
    'webhook-id': header(request, 'webhook-id'),
    'webhook-timestamp': header(request, 'webhook-timestamp'),
    'webhook-signature': header(request, 'webhook-signature'),
  }) as Json;
}

/**
 * The operational events end to end: the api and the worker on the real database and Kafka, real
 * HTTPS receivers. The worker pauses a webhook (410) and exhausts a delivery (always 500), and
 * announces both as platform events on its operational topic, which the same intake, matching,
 * signing and retries deliver to the webhooks subscribed to them.
 */
describe('operational events: webhook.paused and delivery.failed, delivered by the same machinery', () => {
  let rig: DeliveryRig;

  beforeAll(async () => {
    rig = await startDeliveryRig({ label: 'operational' });
    // The first attempt, then one retry after 1 s: a failing delivery is exhausted in seconds.
    const policy = await rig.call('PUT', '/settings/retry-policy', {
      body: { retryIntervalsSeconds: [1], jitter: 0 },
    });
    expect(policy.status).toBe(200);
    rig.receiver.respond((request) => {
      if (request.path === '/a-gone') return { status: 410 };
      if (request.path.startsWith('/c-failing') || request.path === '/d-dead-alerts') {
        return { status: 500, body: 'down' };
      }
      return { status: 200, body: 'ok' };
    });
  });

  afterAll(() => rig?.close());

  const requestsTo = (path: string) => rig.receiver.requests.filter((r) => r.path === path);

  async function deliveriesOf(webhookId: string) {
    const { status, body } = await rig.call('GET', `/deliveries?webhookId=${webhookId}&limit=100`);
    expect(status).toBe(200);
    return body.items as { id: string; status: string; eventId: string; eventType: string }[];
  }

  it('given a receiver answering 410, then its webhook is paused with the reason and time in its view, and a subscriber of its environment receives a signed webhook.paused about it', async () => {
    const a = await rig.createWebhook({
      name: 'A',
      path: '/a-gone',
      eventTypes: ['license.created'],
    });
    const alerts = await rig.createWebhook({
      name: 'Pause alerts',
      path: '/b-paused',
      eventTypes: ['webhook.paused'],
    });
    const staging = await rig.createWebhook({
      name: 'Staging alerts',
      path: '/b-staging',
      environment: 'staging',
      eventTypes: ['webhook.paused'],
    });
    const before = Date.now();

    await rig.publish(rig.topics.licenses, [
      { value: JSON.stringify(platformEvent('license.created')) },
    ]);

    const announced = await rig.receiver.waitFor((r) => r.path === '/b-paused', 30_000);
    const body = verified(announced, alerts.secret);
    expect(header(announced, 'x-webhook-event')).toBe('webhook.paused');
    expect(body).toMatchObject({
      id: `evt_paused_${a.id}_2`,
      type: 'webhook.paused',
      environment: 'production',
      data: {
        webhook: { id: a.id, name: 'A', url: a.url, environment: 'production' },
        kind: 'gone',
        reason: 'the endpoint answered 410 Gone',
      },
    });
    expect(Date.parse(body.data.pausedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(body.occurredAt).toBe(body.data.pausedAt);

    // The paused webhook's view says why and since when, in the details, the list and as of now.
    const pause = {
      reason: 'the endpoint answered 410 Gone',
      kind: 'gone',
      at: body.data.pausedAt,
    };
    const details = await rig.call('GET', `/webhooks/${a.id}`);
    expect(details.body).toMatchObject({
      status: 'inactive',
      deactivationReason: 'automatic',
      pause,
    });
    const list = await rig.call('GET', '/webhooks?status=inactive&limit=100');
    expect(list.body.items.find((item: { id: string }) => item.id === a.id)).toMatchObject({
      pause,
    });
    const asOf = await rig.call(
      'GET',
      `/webhooks/${a.id}?asOf=${encodeURIComponent(new Date().toISOString())}`,
    );
    expect(asOf.body).toMatchObject({ deactivationReason: 'automatic', pause });

    // Recorded in the delivery log like any event (the record is written after the receiver has
    // answered, so it may land a moment after the arrival); the staging subscriber got nothing.
    await eventually(
      async () => (await deliveriesOf(alerts.id)).length > 0,
      'the webhook.paused delivery in the log',
    );
    const [delivered] = await deliveriesOf(alerts.id);
    expect(delivered).toMatchObject({ eventId: body.id, eventType: 'webhook.paused' });
    expect(await deliveriesOf(staging.id)).toEqual([]);

    // The same announcement again (as after a crash before its step finished) is one event.
    await rig.publish(rig.topics.operational, [{ value: announced.rawBody }]);
    const marker = platformEvent('webhook.paused');
    await rig.publish(rig.topics.operational, [{ value: JSON.stringify(marker) }]);
    await rig.receiver.waitFor(
      (r) => r.path === '/b-paused' && JSON.parse(r.rawBody).id === marker.id,
      30_000,
    );
    expect(
      requestsTo('/b-paused').filter((r) => JSON.parse(r.rawBody).id === body.id),
    ).toHaveLength(1);

    // Resumed by an admin: no pause any more; an admin's deactivation is no pause either.
    const resumed = await rig.call('POST', `/webhooks/${a.id}/activate`);
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: 'active', deactivationReason: null, pause: null });
    const off = await rig.call('POST', `/webhooks/${a.id}/deactivate`);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ deactivationReason: 'admin', pause: null });
  });

  it('given a receiver that always fails, then after the retries run out a subscriber receives one delivery.failed; a failing delivery of delivery.failed announces nothing', async () => {
    const c = await rig.createWebhook({
      name: 'C',
      path: '/c-failing',
      eventTypes: ['activation.created'],
    });
    const alerts = await rig.createWebhook({
      name: 'Failure alerts',
      path: '/b-failed',
      eventTypes: ['delivery.failed'],
    });
    // An alert endpoint that is down itself: its delivery of delivery.failed fails for good too.
    const deadAlerts = await rig.createWebhook({
      name: 'Dead alerts',
      path: '/d-dead-alerts',
      eventTypes: ['delivery.failed'],
    });
    const event = platformEvent('activation.created');

    await rig.publish(rig.topics.activations, [{ value: JSON.stringify(event) }]);

    const announced = await rig.receiver.waitFor((r) => r.path === '/b-failed', 30_000);
    expect(requestsTo('/c-failing')).toHaveLength(2);
    const [failed] = await deliveriesOf(c.id);
    expect(failed.status).toBe('failed');
    const body = verified(announced, alerts.secret);
    expect(body).toMatchObject({
      id: `evt_failed_${failed.id}`,
      type: 'delivery.failed',
      environment: 'production',
      data: {
        delivery: {
          id: failed.id,
          attempts: 2,
          lastResponseStatus: 500,
          lastError: expect.stringMatching(/^HTTP 500/),
        },
        webhook: { id: c.id, name: 'C', url: c.url },
        event: { id: event.id, type: 'activation.created' },
      },
    });

    // The dead alert endpoint's delivery of it is exhausted as well, and announced to nobody.
    await eventually(async () => {
      const [toDead] = await deliveriesOf(deadAlerts.id);
      return toDead?.status === 'failed';
    }, 'the delivery to the dead alert endpoint to fail');
    const marker = platformEvent('delivery.failed');
    await rig.publish(rig.topics.operational, [{ value: JSON.stringify(marker) }]);
    await rig.receiver.waitFor(
      (r) => r.path === '/b-failed' && JSON.parse(r.rawBody).id === marker.id,
      30_000,
    );
    const announcements = requestsTo('/b-failed').map((r) => JSON.parse(r.rawBody).id);
    expect(announcements.filter((id) => id !== marker.id)).toEqual([body.id]);
  });

  it('counts pauses by kind and exhausted deliveries on /metrics', async () => {
    const text = await (await fetch(`${rig.worker!.url}/metrics`)).text();
    const count = (line: RegExp) => Number(text.match(line)?.[1] ?? NaN);
    expect(count(/^webhooks_paused_total\{kind="gone"\} (\d+)$/m)).toBe(1);
    expect(count(/^webhooks_paused_total\{kind="failing"\} (\d+)$/m)).toBe(0);
    // C's delivery, and the dead alert endpoint's delivery of delivery.failed.
    expect(count(/^webhook_deliveries_exhausted_total (\d+)$/m)).toBe(2);
  });
});
