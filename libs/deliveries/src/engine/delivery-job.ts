import type { MessageSource, PlatformEvent } from '@app/platform-events';
import { deliveryIdOf } from '../domain/delivery-id';
import type {
  DeliveryAttempt,
  DeliveryPayload,
  DeliveryQueueDocument,
} from '../storage/delivery.documents';

/** One delivery the worker is working on, in memory. */
export interface DeliveryJob {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  environment: string;
  payload: DeliveryPayload;
  attempts: DeliveryAttempt[];
  /** Automatic attempts made so far: the position in the retry schedule. */
  scheduledAttempts: number;
  createdAt: Date;
  source?: MessageSource;
  /** The next attempt was asked for by an admin: one shot. */
  manual: boolean;
  /** `memory`: fresh from Kafka, not in the delivery queue; `queue`: claimed from the queue. */
  origin: 'memory' | 'queue';
}

/** The delivery of a platform event, just read from Kafka, to one matched webhook. */
export function freshJob(
  event: PlatformEvent,
  webhookId: string,
  source: MessageSource,
  now: Date,
): DeliveryJob {
  return {
    id: deliveryIdOf(event.id, webhookId),
    webhookId,
    eventId: event.id,
    eventType: event.type,
    environment: event.environment,
    payload: { ...event },
    attempts: [],
    scheduledAttempts: 0,
    createdAt: now,
    source,
    manual: false,
    origin: 'memory',
  };
}

/** A delivery claimed from the queue. */
export function queuedJob(entry: DeliveryQueueDocument): DeliveryJob {
  return {
    id: entry._id,
    webhookId: entry.webhookId,
    eventId: entry.eventId,
    eventType: entry.eventType,
    environment: entry.environment,
    payload: entry.payload,
    attempts: entry.attempts,
    scheduledAttempts: entry.scheduledAttempts,
    createdAt: entry.createdAt,
    ...(entry.source && { source: entry.source }),
    manual: entry.manual,
    origin: 'queue',
  };
}
