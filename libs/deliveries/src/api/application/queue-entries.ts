import { randomBytes } from 'node:crypto';
import { deliveryIdOf } from '../../domain/delivery-id';
import {
  attemptIdOf,
  TEST_EVENT_TYPE,
  type DeliveryDocument,
  type DeliveryQueueDocument,
  type PlatformEventDocument,
} from '../../storage/delivery.documents';
import { timeSlotsOf } from '../../storage/time-slots';
import { inLane } from '../../storage/queue-layout';

/**
 * The queue entry of an attempt someone asked for, due now: the next attempt of the delivery.
 *
 * - A finished delivery is sent once more (one shot: a failure ends it again, no new schedule).
 *   Its id is the attempt's own (`<delivery>:<n>`), so two requests for it at once make one
 *   attempt.
 * - A delivery waiting for a retry has that retry brought forward: the entry (`<delivery>:<n>:now`)
 *   makes the same attempt n the schedule would, now, and the schedule goes on after it; the
 *   worker claims attempt n once, whichever entry it takes it from.
 */
export function requestedAttempt(
  summary: DeliveryDocument,
  requestedBy: string,
  now: Date,
): DeliveryQueueDocument {
  const number = summary.attemptCount + 1;
  const finished = summary.status === 'succeeded' || summary.status === 'failed';
  return inLane({
    _id: finished ? attemptIdOf(summary._id, number) : `${attemptIdOf(summary._id, number)}:now`,
    deliveryId: summary._id,
    webhookId: summary.webhookId,
    eventId: summary.eventId,
    eventType: summary.eventType,
    environment: summary.environment,
    attempt: number,
    dueAt: now,
    trigger: 'manual',
    oneShot: finished,
    requestedBy,
    latestRequestedBy: requestedBy,
    scheduledAttempts: summary.scheduledAttempts,
    deliveryCreatedAt: summary.createdAt,
    enqueuedAt: now,
  });
}

/** Whether an attempt after the delivery's last is queued already (a re-send asked for). */
export function isRequested(
  delivery: Pick<DeliveryDocument, 'attemptCount'>,
  coming: Pick<DeliveryQueueDocument, 'attempt'> | undefined,
): boolean {
  return coming !== undefined && coming.attempt > delivery.attemptCount;
}

/** A fresh id per test, so every test is a delivery of its own (ids are derived from event ids). */
export function testEventId(): string {
  return `evt_test_${randomBytes(12).toString('base64url')}`;
}

/** What `POST /webhooks/:id/test` writes: the event, the pending delivery and its attempt, due now. */
export interface TestDelivery {
  event: PlatformEventDocument;
  delivery: DeliveryDocument;
  entry: DeliveryQueueDocument;
}

export function testDelivery(
  webhook: { id: string; environment: string },
  eventId: string,
  requestedBy: string,
  now: Date,
): TestDelivery {
  const body = JSON.stringify({
    id: eventId,
    type: TEST_EVENT_TYPE,
    environment: webhook.environment,
    occurredAt: now.toISOString(),
    data: {
      webhookId: webhook.id,
      message: 'A test event from the License Management Platform: your endpoint is reachable.',
    },
  });
  const deliveryId = deliveryIdOf(eventId, webhook.id);
  return {
    event: {
      _id: eventId,
      type: TEST_EVENT_TYPE,
      environment: webhook.environment,
      body,
      webhookIds: [webhook.id],
      receivedAt: now,
      ...timeSlotsOf(now),
    },
    delivery: {
      _id: deliveryId,
      webhookId: webhook.id,
      eventId,
      eventType: TEST_EVENT_TYPE,
      environment: webhook.environment,
      status: 'pending',
      attemptCount: 0,
      scheduledAttempts: 0,
      nextAttemptAt: now,
      lastAttempt: null,
      failureReason: null,
      requestedBy,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    },
    entry: inLane({
      _id: attemptIdOf(deliveryId, 1),
      deliveryId,
      webhookId: webhook.id,
      eventId,
      eventType: TEST_EVENT_TYPE,
      environment: webhook.environment,
      attempt: 1,
      dueAt: now,
      trigger: 'manual',
      oneShot: true,
      requestedBy,
      latestRequestedBy: requestedBy,
      scheduledAttempts: 0,
      deliveryCreatedAt: now,
      enqueuedAt: now,
    }),
  };
}
