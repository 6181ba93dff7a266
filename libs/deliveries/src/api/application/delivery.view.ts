import type {
  AttemptTrigger,
  DeliveryAttemptDocument,
  DeliveryDocument,
  DeliveryPayload,
  DeliveryQueueDocument,
  DeliveryStatus,
} from '../../storage/delivery.documents';
import { redactSignatures } from '../../signing/signature-redaction';
import { isRequested } from './queue-entries';

/** A delivery in a list: what happened last, never the payload nor the attempts' details. */
export interface DeliveryListItem {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  environment: string;
  status: DeliveryStatus;
  attemptCount: number;
  /** When the next attempt is due; null once the delivery is finished. */
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
  lastAttempt: { at: string; responseStatus: number | null; error: string | null } | null;
  /** Why a failed delivery ended; null otherwise. */
  failureReason: string | null;
  /**
   * Who made the latest manual request (`user:<sub>`: retry, recover, bulk retry, test send),
   * one not made yet included; null for a delivery only the schedule has attempted.
   */
  requestedBy: string | null;
}

export interface DeliveryAttemptView {
  number: number;
  at: string;
  trigger: AttemptTrigger;
  /** Who asked for a manual attempt (`user:<sub>`); null for automatic ones. */
  requestedBy: string | null;
  url: string;
  /** As sent, each signature `[redacted]`: a signature would let a reader replay the request. */
  requestHeaders: Record<string, string>;
  responseStatus: number | null;
  durationMs: number;
  error: string | null;
  responseBody: string | null;
  /** Set on a second send of attempt `duplicateOf` (made elsewhere too, e.g. during a rebalance). */
  duplicateOf?: number;
}

/** A delivery in full: the body sent and every attempt, oldest first. */
export interface DeliveryDetail extends DeliveryListItem {
  /** null when the event is no longer stored (older than the retention period). */
  payload: DeliveryPayload | null;
  attempts: DeliveryAttemptView[];
}

/**
 * A delivery as the API shows it: its summary, and, when an attempt has been asked for (a retry,
 * a recovery) and not made yet, that coming attempt: the delivery is pending again until then.
 */
export function listItemOf(
  summary: DeliveryDocument,
  coming?: DeliveryQueueDocument,
): DeliveryListItem {
  const finished = summary.status === 'succeeded' || summary.status === 'failed';
  const requested = coming !== undefined && isRequested(summary, coming);
  const status: DeliveryStatus = requested && finished ? 'pending' : summary.status;
  const nextAttemptAt = requested ? coming.dueAt : summary.nextAttemptAt;
  const last = summary.lastAttempt;
  return {
    id: summary._id,
    webhookId: summary.webhookId,
    eventId: summary.eventId,
    eventType: summary.eventType,
    environment: summary.environment,
    status,
    attemptCount: summary.attemptCount,
    nextAttemptAt: nextAttemptAt ? nextAttemptAt.toISOString() : null,
    createdAt: summary.createdAt.toISOString(),
    updatedAt: summary.updatedAt.toISOString(),
    lastAttempt: last
      ? { at: last.at.toISOString(), responseStatus: last.responseStatus, error: last.error }
      : null,
    failureReason: status === 'failed' ? summary.failureReason : null,
    requestedBy:
      requested && coming.trigger === 'manual' && coming.requestedBy
        ? coming.requestedBy
        : summary.requestedBy,
  };
}

export function detailOf(
  summary: DeliveryDocument,
  attempts: DeliveryAttemptDocument[],
  body: string | null,
  coming?: DeliveryQueueDocument,
): DeliveryDetail {
  return {
    ...listItemOf(summary, coming),
    payload: body === null ? null : (JSON.parse(body) as DeliveryPayload),
    attempts: attempts.map((attempt) => ({
      number: attempt.number,
      at: attempt.at.toISOString(),
      trigger: attempt.trigger,
      requestedBy: attempt.requestedBy,
      url: attempt.url,
      // Workers store signatures redacted; attempts recorded before they did are redacted here.
      requestHeaders: redactSignatures(attempt.requestHeaders),
      responseStatus: attempt.responseStatus,
      durationMs: attempt.durationMs,
      error: attempt.error,
      responseBody: attempt.responseBody,
      ...(attempt.duplicateOf !== undefined && { duplicateOf: attempt.duplicateOf }),
    })),
  };
}
