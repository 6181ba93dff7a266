import { deliveryIdOf } from '../../domain/delivery-id';
import type { DeliveryHistoryDocument } from '../../storage/delivery.documents';
import { manualQueueEntry, testDeliveryEntry, testEventId } from './queue-entries';

describe('queue entries made by the api', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const created = new Date('2026-02-28T08:00:00Z');

  it('re-sends a finished delivery as a manual entry due now, keeping its attempts and creation time', () => {
    const attempt = {
      number: 1,
      at: created,
      trigger: 'automatic' as const,
      url: 'https://example.com/hook',
      requestHeaders: {},
      responseStatus: 500,
      responseBody: 'oops',
      durationMs: 12,
      error: 'HTTP 500',
    };
    const finished: DeliveryHistoryDocument = {
      _id: 'dlv_x',
      webhookId: 'wh',
      eventId: 'evt',
      eventType: 'license.created',
      environment: 'production',
      payload: {
        id: 'evt',
        type: 'license.created',
        environment: 'production',
        occurredAt: '',
        data: {},
      },
      status: 'failed',
      attempts: [attempt],
      attemptCount: 1,
      scheduledAttempts: 1,
      createdAt: created,
      updatedAt: created,
      nextAttemptAt: null,
      finishedAt: created,
      source: { topic: 'platform.licenses', partition: 0, offset: '7' },
    };
    const entry = manualQueueEntry(finished, now);
    expect(entry).toEqual({
      ...finished,
      finishedAt: undefined,
      status: 'pending',
      updatedAt: now,
      nextAttemptAt: now,
      manual: true,
      leaseUntil: new Date(0),
      leaseOwner: null,
    });
    expect(entry).not.toHaveProperty('finishedAt');
  });

  it('builds a webhook.test delivery for the webhook’s environment, never sent before', () => {
    const eventId = testEventId();
    expect(eventId).toMatch(/^evt_test_[A-Za-z0-9_-]{16}$/);
    expect(testEventId()).not.toBe(eventId);
    const entry = testDeliveryEntry({ id: 'wh-1', environment: 'staging' }, eventId, now);
    expect(entry).toMatchObject({
      _id: deliveryIdOf(eventId, 'wh-1'),
      eventType: 'webhook.test',
      environment: 'staging',
      status: 'pending',
      manual: true,
      attempts: [],
      attemptCount: 0,
      scheduledAttempts: 0,
      nextAttemptAt: now,
      payload: {
        id: eventId,
        type: 'webhook.test',
        environment: 'staging',
        occurredAt: now.toISOString(),
        data: { webhookId: 'wh-1' },
      },
    });
    expect(entry).not.toHaveProperty('source');
  });
});
