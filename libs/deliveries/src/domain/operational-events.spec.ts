import { EventDataValidator, parsePlatformEvent } from '@app/platform-events';
import {
  announcesFailureOf,
  deliveryFailedEvent,
  webhookPausedEvent,
  type FailedDeliveryFacts,
  type PausedWebhookFacts,
} from './operational-events';

const validator = new EventDataValidator();

const pause: PausedWebhookFacts = {
  webhook: {
    id: '7d9e4c1a-2b3f-4e5d-8a6b-9c0d1e2f3a4b',
    name: 'CRM sync',
    url: 'https://crm.acme.example/hooks/licenses',
    environment: 'staging',
  },
  kind: 'gone',
  reason: 'the endpoint answered 410 Gone',
  pausedAt: new Date('2026-11-27T11:04:12.481Z'),
  version: 7,
};

const failure: FailedDeliveryFacts = {
  delivery: {
    id: 'dlv_q3X9vT2mK8pL4nR7sW1yZA',
    attempts: 8,
    lastResponseStatus: null,
    lastError: 'timed out after 15000 ms',
  },
  webhook: { id: pause.webhook.id, name: 'CRM sync', url: pause.webhook.url },
  event: { id: 'evt_01JA5H9Q2W7E4R1T', type: 'license.created', environment: 'production' },
  failedAt: new Date('2026-11-27T19:32:40.117Z'),
};

/** What the worker's own intake makes of the event once it comes back from Kafka. */
function asConsumed(event: object) {
  const parsed = parsePlatformEvent(Buffer.from(JSON.stringify(event)));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.event;
}

describe('operational events', () => {
  it('given a pause, then webhook.paused names the webhook, kind, reason and time, in its environment, under the id of that pause', () => {
    const event = webhookPausedEvent(pause);

    expect(event).toEqual({
      id: `evt_paused_${pause.webhook.id}_7`,
      type: 'webhook.paused',
      environment: 'staging',
      occurredAt: '2026-11-27T11:04:12.481Z',
      data: {
        webhook: pause.webhook,
        kind: 'gone',
        reason: 'the endpoint answered 410 Gone',
        pausedAt: '2026-11-27T11:04:12.481Z',
      },
    });
  });

  it('given the same pause twice (a repeated step), then the same id: one event at the intake', () => {
    expect(webhookPausedEvent(pause).id).toBe(webhookPausedEvent({ ...pause }).id);
    expect(webhookPausedEvent({ ...pause, version: 9 }).id).not.toBe(webhookPausedEvent(pause).id);
  });

  it('given an exhausted delivery, then delivery.failed names the delivery, webhook and event, in the delivery\u2019s environment', () => {
    const event = deliveryFailedEvent(failure);

    expect(event).toEqual({
      id: 'evt_failed_dlv_q3X9vT2mK8pL4nR7sW1yZA',
      type: 'delivery.failed',
      environment: 'production',
      occurredAt: '2026-11-27T19:32:40.117Z',
      data: {
        delivery: {
          id: 'dlv_q3X9vT2mK8pL4nR7sW1yZA',
          attempts: 8,
          lastResponseStatus: null,
          lastError: 'timed out after 15000 ms',
        },
        webhook: failure.webhook,
        event: { id: 'evt_01JA5H9Q2W7E4R1T', type: 'license.created' },
        failedAt: '2026-11-27T19:32:40.117Z',
      },
    });
  });

  it('given either event, then it is a valid platform event whose data its documented schema accepts', () => {
    for (const event of [
      webhookPausedEvent(pause),
      deliveryFailedEvent(failure),
      deliveryFailedEvent({
        ...failure,
        delivery: { ...failure.delivery, lastResponseStatus: 503, lastError: 'HTTP 503' },
      }),
    ]) {
      const consumed = asConsumed(event);
      expect(consumed).toEqual(event);
      expect(validator.check(consumed.type, consumed.data)).toEqual({ ok: true });
    }
  });

  it('given the loop rule, then a failed delivery of delivery.failed is not announced; any other is', () => {
    expect(announcesFailureOf('delivery.failed')).toBe(false);
    expect(announcesFailureOf('webhook.paused')).toBe(true);
    expect(announcesFailureOf('license.created')).toBe(true);
  });
});
