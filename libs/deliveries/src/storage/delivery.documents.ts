/**
 * How deliveries are stored. Two collections, split by whether a delivery is still in progress:
 *
 * - `delivery_queue`: deliveries still to be attempted (pending) or waiting for their next retry
 *   (retrying). Small by design: it holds only outstanding work, so finding the retries that are due
 *   never scans the delivery history, and updating one outstanding delivery stays cheap even on
 *   FerretDB (which evaluates `_id` lookups by scanning the collection).
 * - `deliveries`: the history of finished deliveries (succeeded, failed), written once with every
 *   attempt when a delivery finishes. Insert-only on the hot path.
 *
 * A delivery lives in exactly one of them, except for a short moment while it moves from the queue to
 * the history (history first, then the queue entry is removed) or when an admin retries a finished
 * one (a queue entry appears beside its history record). Readers prefer the queue entry.
 *
 * The first attempt of a delivery produced by a Kafka event is made straight from memory: the event's
 * Kafka offset is committed only once each of its deliveries is in the history or in the queue, so an
 * uncommitted offset is the durable "pending" record of a delivery in flight.
 */
export const DELIVERY_QUEUE_COLLECTION = 'delivery_queue';
export const DELIVERY_HISTORY_COLLECTION = 'deliveries';
/** One record per platform event id ever accepted: deduplication and the webhooks it matched. */
export const PLATFORM_EVENTS_COLLECTION = 'platform_events';
/** Webhooks whose every attempt has failed since `failingSince`; small, one row per failing endpoint. */
export const ENDPOINT_FAILURES_COLLECTION = 'endpoint_failures';

export type DeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'pending',
  'retrying',
  'succeeded',
  'failed',
];

/** The JSON body sent to the receiver: the platform event exactly as received. */
export interface DeliveryPayload {
  id: string;
  type: string;
  environment: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** One HTTP attempt, as the admin sees it. Headers show the signature, never the secret. */
export interface DeliveryAttempt {
  /** 1-based, over every attempt of the delivery (automatic and manual). */
  number: number;
  at: Date;
  /** Why this attempt was made. */
  trigger: 'automatic' | 'manual';
  url: string;
  requestHeaders: Record<string, string>;
  /** null when no response arrived (timeout, refused, SSRF guard, ...). */
  responseStatus: number | null;
  /** The start of the response body, at most a few KiB (see RESPONSE_BODY_LIMIT_BYTES). */
  responseBody: string | null;
  durationMs: number;
  /** Why the attempt failed, in words; null on success. */
  error: string | null;
}

/** Fields every delivery has, in the queue and in the history. */
export interface DeliveryDocumentBase {
  /** `dlv_` + a hash of (event id, webhook id): the same event never makes two deliveries. */
  _id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  environment: string;
  payload: DeliveryPayload;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  /** attempts.length, kept for filters and the list view. */
  attemptCount: number;
  /** How many automatic attempts were made: the position in the retry schedule. */
  scheduledAttempts: number;
  createdAt: Date;
  updatedAt: Date;
  /** Where the event came from, for operators (absent for test events and manual sends). */
  source?: { topic: string; partition: number; offset: string };
}

export interface DeliveryQueueDocument extends DeliveryDocumentBase {
  status: 'pending' | 'retrying';
  /** When the next attempt is due. */
  nextAttemptAt: Date;
  /** The next attempt is a manual one (retry, recover, test): one shot, no automatic follow-ups. */
  manual: boolean;
  /** A worker holds the entry until then; epoch when nobody does. */
  leaseUntil: Date;
  leaseOwner: string | null;
}

export interface DeliveryHistoryDocument extends DeliveryDocumentBase {
  status: 'succeeded' | 'failed';
  nextAttemptAt: null;
  finishedAt: Date;
}

export interface PlatformEventDocument {
  /** The platform event id. */
  _id: string;
  type: string;
  environment: string;
  /** The webhooks it matched when first accepted, so a redelivery makes the same deliveries. */
  webhookIds: string[];
  receivedAt: Date;
  source: { topic: string; partition: number; offset: string };
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
