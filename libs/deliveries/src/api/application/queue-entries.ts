import { randomBytes } from 'node:crypto';
import { deliveryIdOf } from '../../domain/delivery-id';
import {
  TEST_EVENT_TYPE,
  type DeliveryHistoryDocument,
  type DeliveryPayload,
  type DeliveryQueueDocument,
} from '../../storage/delivery.documents';

/** Not leased: the epoch, as the storage contract has it. */
const NO_LEASE = new Date(0);

/**
 * The queue entry that re-sends a finished delivery once, now: the history record with its
 * attempts (so attempt numbers go on counting), due now, manual (one shot, no automatic retries).
 */
export function manualQueueEntry(
  finished: DeliveryHistoryDocument,
  now: Date,
): DeliveryQueueDocument {
  // Everything but the fields only a finished delivery has.
  const { finishedAt: _finishedAt, nextAttemptAt: _nextAttemptAt, ...delivery } = finished;
  return {
    ...delivery,
    status: 'pending',
    updatedAt: now,
    nextAttemptAt: now,
    manual: true,
    leaseUntil: NO_LEASE,
    leaseOwner: null,
  };
}

/** A fresh id per test, so every test is a delivery of its own (ids are derived from event ids). */
export function testEventId(): string {
  return `evt_test_${randomBytes(12).toString('base64url')}`;
}

/** The queue entry of `POST /webhooks/:id/test`: a `webhook.test` event, signed and sent by the worker. */
export function testDeliveryEntry(
  webhook: { id: string; environment: string },
  eventId: string,
  now: Date,
): DeliveryQueueDocument {
  const payload: DeliveryPayload = {
    id: eventId,
    type: TEST_EVENT_TYPE,
    environment: webhook.environment,
    occurredAt: now.toISOString(),
    data: {
      webhookId: webhook.id,
      message: 'A test event from the License Management Platform: your endpoint is reachable.',
    },
  };
  return {
    _id: deliveryIdOf(eventId, webhook.id),
    webhookId: webhook.id,
    eventId,
    eventType: TEST_EVENT_TYPE,
    environment: webhook.environment,
    payload,
    status: 'pending',
    attempts: [],
    attemptCount: 0,
    scheduledAttempts: 0,
    createdAt: now,
    updatedAt: now,
    nextAttemptAt: now,
    manual: true,
    leaseUntil: NO_LEASE,
    leaseOwner: null,
  };
}
