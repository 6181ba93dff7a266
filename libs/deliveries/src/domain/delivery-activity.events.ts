import type { EventMetadata, NewEvent } from '@app/event-store';

// What admins asked the delivery machinery to do with a webhook, appended to the webhook's
// activity stream (webhookActivityStreamId) for its history and the audit log. The persisted
// shapes are spelled out here, so that a refactor elsewhere cannot silently change what is
// stored; a shape change means a new schema version and an upcaster.

/** Someone asked for one more attempt of a delivery now (`POST /deliveries/:id/retry`). */
export interface DeliveryRetryRequested {
  type: 'DeliveryRetryRequested';
  data: { webhookId: string; deliveryId: string };
}

/** Someone asked to re-send the webhook's failed deliveries since a time (`POST /webhooks/:id/recover`). */
export interface DeliveriesRecoveryRequested {
  type: 'DeliveriesRecoveryRequested';
  data: { webhookId: string; since: string; recovered: number; capped: boolean };
}

/** Someone sent the webhook a `webhook.test` event (`POST /webhooks/:id/test`). */
export interface TestDeliveryRequested {
  type: 'TestDeliveryRequested';
  data: { webhookId: string; deliveryId: string };
}

/**
 * Someone re-sent a filtered set of failed deliveries (`POST /deliveries/retry`): one event per
 * webhook the call re-sent deliveries of, with how many of them (the set spans calls: each call
 * of the loop that touched the webhook appends one).
 */
export interface FailedDeliveriesRetryRequested {
  type: 'FailedDeliveriesRetryRequested';
  data: {
    webhookId: string;
    /** The filter as asked for (failed deliveries matching it). */
    filter: {
      webhookId?: string;
      eventType?: string;
      environment?: string;
      eventId?: string;
      from?: string;
      to?: string;
      statusClass?: string;
    };
    retried: number;
  };
}

export type DeliveryActivityEvent =
  | DeliveryRetryRequested
  | DeliveriesRecoveryRequested
  | TestDeliveryRequested
  | FailedDeliveriesRetryRequested;

export type DeliveryActivityEventType = DeliveryActivityEvent['type'];

/** The current schema version of each persisted event type. Raising one needs an upcaster. */
export const DELIVERY_ACTIVITY_EVENT_SCHEMA_VERSIONS = {
  DeliveryRetryRequested: 1,
  DeliveriesRecoveryRequested: 1,
  TestDeliveryRequested: 1,
  FailedDeliveriesRetryRequested: 1,
} as const satisfies Record<DeliveryActivityEventType, number>;

export const DELIVERY_ACTIVITY_EVENT_TYPES = Object.keys(
  DELIVERY_ACTIVITY_EVENT_SCHEMA_VERSIONS,
) as DeliveryActivityEventType[];

/** The event in the form the event store appends, stamped with its current schema version. */
export function toNewDeliveryActivityEvent(
  event: DeliveryActivityEvent,
  metadata: EventMetadata,
): NewEvent<DeliveryActivityEventType, DeliveryActivityEvent['data']> {
  return {
    type: event.type,
    data: event.data,
    schemaVersion: DELIVERY_ACTIVITY_EVENT_SCHEMA_VERSIONS[event.type],
    metadata,
  };
}
