import type { TimeSlots } from './time-slots';

/**
 * How deliveries are stored. Every coordination between processes rests on what MongoDB and the
 * embedded FerretDB both do atomically, an insert under a unique `_id`: nothing here is ever
 * updated by two processes at once (FerretDB's updates are a read-modify-write).
 *
 * - `platform_events`: one document per accepted platform event id: deduplication, the webhooks
 *   it matched at first sight, and the request body, stored once for all its deliveries.
 * - `delivery_attempts`: one document per HTTP attempt, insert-only, `_id` `<delivery>:<n>`. The
 *   insert of attempt n is the point where that attempt becomes true: whoever inserts it decides
 *   what follows (done, failed, or the next retry), and a second insert of the same attempt (a
 *   crash, a rebalance, an expired claim) loses, so no attempt is recorded twice.
 * - `delivery_queue`: due work, insert-only: attempt n of a delivery is due at `dueAt`, filed in a
 *   lane (queue-layout.ts) that a poll finds by equality. Removed once that attempt is recorded and
 *   what follows it is written.
 * - `delivery_claims`: who is making attempt n right now, insert-only with an epoch: a claim is
 *   won by inserting `<delivery>:<n>#<epoch>`; an expired one is superseded by the next epoch.
 * - `deliveries`: one summary per delivery (status, counts, the last attempt, when the next is
 *   due), what lists and filters read. Written by whoever recorded the latest attempt, and only
 *   forward (`attemptCount` never goes back).
 * - `endpoint_failures`: webhooks failing right now, shared by every worker.
 *
 * The first attempt of a delivery fed by Kafka runs straight from memory: its event's offset is
 * committed only once each of its deliveries has its outcome and what follows written, so an
 * uncommitted offset is the durable "pending" record of a delivery in flight.
 */
export const PLATFORM_EVENTS_COLLECTION = 'platform_events';
export const DELIVERIES_COLLECTION = 'deliveries';
export const DELIVERY_ATTEMPTS_COLLECTION = 'delivery_attempts';
export const DELIVERY_QUEUE_COLLECTION = 'delivery_queue';
export const DELIVERY_CLAIMS_COLLECTION = 'delivery_claims';
export const ENDPOINT_FAILURES_COLLECTION = 'endpoint_failures';

export type DeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'pending',
  'retrying',
  'succeeded',
  'failed',
];

/** The JSON body sent to the receiver: the platform event's fields as received. */
export interface DeliveryPayload {
  id: string;
  type: string;
  environment: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** Where a platform event was read from, for operators. */
export interface MessageSourceRecord {
  topic: string;
  partition: number;
  offset: string;
}

/** Slots of `receivedAt` (time-slots.ts), for retention. */
export interface PlatformEventDocument extends TimeSlots {
  /** The platform event id. */
  _id: string;
  type: string;
  environment: string;
  /**
   * The request body, byte for byte as every attempt sends it (and signs it): kept as text, so
   * no field name or number of the producer's `data` is changed by the database.
   */
  body: string;
  /** The webhooks it matched when first accepted, so a redelivery makes the same deliveries. */
  webhookIds: string[];
  receivedAt: Date;
  /** Absent for test events (`POST /webhooks/:id/test`). */
  source?: MessageSourceRecord;
}

/** Why an attempt was made: by the schedule, or because someone asked (retry, recover, test). */
export type AttemptTrigger = 'automatic' | 'manual';

/** What an attempt led to. */
export type AttemptOutcome =
  | { status: 'succeeded' }
  | { status: 'failed'; reason: string }
  | { status: 'retrying'; nextAttemptAt: Date };

/** Slots of the delivery's creation (time-slots.ts): an attempt is pruned with its delivery. */
export interface DeliveryAttemptDocument extends TimeSlots {
  /** `<delivery id>:<number>`; a duplicate send gets `<delivery id>:<number>~<token>`. */
  _id: string;
  deliveryId: string;
  webhookId: string;
  eventId: string;
  /** 1-based over every attempt of the delivery (automatic and manual). */
  number: number;
  at: Date;
  trigger: AttemptTrigger;
  /** Who asked for a manual attempt (`user:<sub>`); null for automatic ones. */
  requestedBy: string | null;
  url: string;
  /**
   * As sent, except each signature header's value, stored as `[redacted]` (redactSignatures; the
   * secret is never here either). Attempts recorded before that may hold signatures: the API
   * redacts on read as well.
   */
  requestHeaders: Record<string, string>;
  /** null when no response arrived (timeout, refused, SSRF guard, ...). */
  responseStatus: number | null;
  /** The start of the response body, at most RESPONSE_BODY_LIMIT_BYTES. */
  responseBody: string | null;
  durationMs: number;
  /** Why the attempt failed, in words; null on success. */
  error: string | null;
  outcome: AttemptOutcome;
  /** Automatic attempts made, this one included: the position in the retry schedule. */
  scheduledAttempts: number;
  /**
   * Unique to this write (its process's random tag and a count), so a writer can tell its own
   * landed insert from another's.
   */
  token: string;
  /**
   * Set on a second send of an attempt that another process had recorded first (a rebalance
   * or an expired claim): kept so auditors see every request, but it decides nothing.
   */
  duplicateOf?: number;
}

/** The last attempt as the summary shows it. */
export interface AttemptSummary {
  number: number;
  at: Date;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
}

export interface DeliveryDocument {
  /** `dlv_` + a hash of (event id, webhook id): the same event never makes two deliveries. */
  _id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  environment: string;
  status: DeliveryStatus;
  /** Attempts recorded. */
  attemptCount: number;
  /** Automatic attempts made: the position in the retry schedule. */
  scheduledAttempts: number;
  /** When the next attempt is due; null when none is (finished). */
  nextAttemptAt: Date | null;
  lastAttempt: AttemptSummary | null;
  /** Why a failed delivery ended (exhausted retries, 410 Gone, webhook deleted, ...). */
  failureReason: string | null;
  /**
   * Who made the latest manual request of it (`user:<sub>`: a retry, a recovery, a bulk retry,
   * a test send); null while only the schedule has made attempts.
   */
  requestedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  source?: MessageSourceRecord;
}

export interface DeliveryQueueDocument {
  /** `<delivery id>:<attempt>` (scheduled), `<delivery id>:<attempt>:<request>` (asked for). */
  _id: string;
  deliveryId: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  environment: string;
  /** The number of the attempt this entry makes. */
  attempt: number;
  dueAt: Date;
  /** `manual/<webhook>` or `due:<minute>/<webhook>` (queue-layout.ts): what a poll reads by. */
  lane: string;
  trigger: AttemptTrigger;
  /** One shot: a failure ends the delivery instead of scheduling retries (re-sends, tests). */
  oneShot: boolean;
  requestedBy: string | null;
  /**
   * The delivery's latest manual request as of this entry (its own `requestedBy` for a manual
   * one, carried over to the automatic retries after it), for the summary the attempt writes.
   * Absent on entries written before it was kept: then `requestedBy`.
   */
  latestRequestedBy?: string | null;
  /** Automatic attempts made before this one. */
  scheduledAttempts: number;
  /** The delivery's creation time, for its summary. */
  deliveryCreatedAt: Date;
  enqueuedAt: Date;
}

export interface DeliveryClaimDocument {
  /** `<claim key>#<epoch>`. */
  _id: string;
  /** `<delivery id>:<attempt>`: one attempt is made by one claimant at a time. */
  key: string;
  epoch: number;
  owner: string;
  leaseUntil: Date;
  claimedAt: Date;
}

export interface EndpointFailureDocument {
  /** The webhook id. */
  _id: string;
  failingSince: Date;
  lastFailureAt: Date;
  lastError: string;
}

/** How much of a response body an attempt keeps. */
export const RESPONSE_BODY_LIMIT_BYTES = 4096;
/** The event type of `POST /webhooks/:id/test`. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** The id of attempt `number` of a delivery, and the key under which it is claimed. */
export function attemptIdOf(deliveryId: string, number: number): string {
  return `${deliveryId}:${number}`;
}
