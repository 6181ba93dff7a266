import type { MessageSource, PlatformEvent } from '@app/platform-events';
import { deliveryIdOf } from '../domain/delivery-id';
import type {
  AttemptTrigger,
  DeliveryQueueDocument,
  MessageSourceRecord,
} from '../storage/delivery.documents';
import type { ClaimHandle } from './delivery-claims';

/** Where a job came from, and so what must happen to that place once its attempt is recorded. */
export type JobOrigin =
  /** Fresh from Kafka: its uncommitted offset is its durable record until then. */
  | { kind: 'memory' }
  /** A claimed queue entry (retry, parked delivery, manual send). */
  | { kind: 'queue'; entryId: string; claim: ClaimHandle };

/** One attempt of one delivery that the worker is about to make, in memory. */
export interface DeliveryJob {
  /** The delivery id. */
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  environment: string;
  /** The request body, sent and signed byte for byte (shared by every job of the event). */
  body: string;
  /** The number of the attempt this job makes (1 for the first). */
  attempt: number;
  /** Automatic attempts made before this one: the position in the retry schedule. */
  scheduledAttempts: number;
  trigger: AttemptTrigger;
  /** A failure ends the delivery rather than scheduling retries (re-sends, tests). */
  oneShot: boolean;
  requestedBy: string | null;
  /** The delivery's latest manual request, this one or one before (for its summary). */
  latestRequestedBy: string | null;
  /** When the delivery was created (its first sight). */
  createdAt: Date;
  source?: MessageSourceRecord;
  origin: JobOrigin;
  /** Whether the delivery's summary document exists already (insert or update it). */
  hasSummary: boolean;
}

/** The first attempt of a platform event, just read from Kafka, to one matched webhook. */
export function freshJob(
  event: PlatformEvent,
  body: string,
  webhookId: string,
  source: MessageSource,
  createdAt: Date,
): DeliveryJob {
  return {
    id: deliveryIdOf(event.id, webhookId),
    webhookId,
    eventId: event.id,
    eventType: event.type,
    environment: event.environment,
    body,
    attempt: 1,
    scheduledAttempts: 0,
    trigger: 'automatic',
    oneShot: false,
    requestedBy: null,
    latestRequestedBy: null,
    createdAt,
    source,
    origin: { kind: 'memory' },
    hasSummary: false,
  };
}

/** The attempt a claimed queue entry makes. */
export function queuedJob(
  entry: DeliveryQueueDocument,
  body: string,
  claim: ClaimHandle,
): DeliveryJob {
  return {
    id: entry.deliveryId,
    webhookId: entry.webhookId,
    eventId: entry.eventId,
    eventType: entry.eventType,
    environment: entry.environment,
    body,
    attempt: entry.attempt,
    scheduledAttempts: entry.scheduledAttempts,
    trigger: entry.trigger,
    oneShot: entry.oneShot,
    requestedBy: entry.requestedBy,
    latestRequestedBy: entry.latestRequestedBy ?? entry.requestedBy,
    createdAt: entry.deliveryCreatedAt,
    origin: { kind: 'queue', entryId: entry._id, claim },
    hasSummary: true,
  };
}
