import type {
  DeliveryAttempt,
  DeliveryDocumentBase,
  DeliveryPayload,
  DeliveryStatus,
} from '../../storage/delivery.documents';

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
}

export interface DeliveryAttemptView {
  number: number;
  at: string;
  trigger: DeliveryAttempt['trigger'];
  url: string;
  requestHeaders: Record<string, string>;
  responseStatus: number | null;
  durationMs: number;
  error: string | null;
  responseBody: string | null;
}

/** A delivery in full: the body sent and every attempt, oldest first. */
export interface DeliveryDetail extends DeliveryListItem {
  payload: DeliveryPayload;
  attempts: DeliveryAttemptView[];
}

/** A stored delivery as the list reads it (see DELIVERY_LIST_PROJECTION): no payload. */
export type ListedDeliveryDocument = Omit<DeliveryDocumentBase, 'payload' | 'attempts'> & {
  attempts: Array<Pick<DeliveryAttempt, 'at' | 'responseStatus' | 'error'>>;
  /** A Date in the queue, null in the history. */
  nextAttemptAt: Date | null;
};

/** A stored delivery in full, from either collection. */
export type StoredDelivery = DeliveryDocumentBase & { nextAttemptAt: Date | null };

export function listItemOf(doc: ListedDeliveryDocument): DeliveryListItem {
  const last = doc.attempts.at(-1);
  return {
    id: doc._id,
    webhookId: doc.webhookId,
    eventId: doc.eventId,
    eventType: doc.eventType,
    environment: doc.environment,
    status: doc.status,
    attemptCount: doc.attemptCount,
    nextAttemptAt: doc.nextAttemptAt ? doc.nextAttemptAt.toISOString() : null,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    lastAttempt: last
      ? { at: last.at.toISOString(), responseStatus: last.responseStatus, error: last.error }
      : null,
  };
}

export function detailOf(doc: StoredDelivery): DeliveryDetail {
  return {
    ...listItemOf(doc),
    payload: doc.payload,
    attempts: doc.attempts.map((attempt) => ({
      number: attempt.number,
      at: attempt.at.toISOString(),
      trigger: attempt.trigger,
      url: attempt.url,
      requestHeaders: attempt.requestHeaders,
      responseStatus: attempt.responseStatus,
      durationMs: attempt.durationMs,
      error: attempt.error,
      responseBody: attempt.responseBody,
    })),
  };
}
