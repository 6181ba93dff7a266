import type {
  AttemptSummary,
  DeliveryDocument,
  DeliveryStatus,
  MessageSourceRecord,
} from './delivery.documents';
import { deliveryStatusClass, type StatusClass } from './status-class';
import { timeSlotsOf, type TimeSlots } from './time-slots';

/**
 * A delivery summary as stored in `deliveries`: the fields lists filter on at the top level, with
 * the time slots of its creation (time-slots.ts), and the rest as one JSON text. The embedded
 * FerretDB decodes a document field by field (about 0.5 ms for the 16 nested fields a summary
 * has, 0.15 ms for this shape), and lists read many summaries; nothing ever queries the details.
 */
export interface StoredDelivery extends TimeSlots {
  _id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  /**
   * Top level (also in the details, for readers from before) so that lists filter on it by
   * equality. Absent on summaries recorded before it was: those are not found by the filter.
   */
  environment?: string;
  status: DeliveryStatus;
  /**
   * The latest attempt's class (status-class.ts), for the same reason; absent before a first
   * attempt, null after one whose status has no class.
   */
  statusClass?: StatusClass | null;
  /** Attempts recorded: updates only ever move it forward. */
  attemptCount: number;
  createdAt: Date;
  /** JSON of DeliveryDetails. */
  details: string;
}

interface DeliveryDetails {
  environment: string;
  scheduledAttempts: number;
  nextAttemptAt: string | null;
  lastAttempt: (Omit<AttemptSummary, 'at'> & { at: string }) | null;
  failureReason: string | null;
  /** Absent on summaries recorded before it was kept: null. */
  requestedBy?: string | null;
  updatedAt: string;
  finishedAt: string | null;
  source?: MessageSourceRecord;
}

export function storedDelivery(summary: DeliveryDocument): StoredDelivery {
  return {
    _id: summary._id,
    webhookId: summary.webhookId,
    eventId: summary.eventId,
    eventType: summary.eventType,
    environment: summary.environment,
    status: summary.status,
    ...statusClassField(summary),
    attemptCount: summary.attemptCount,
    createdAt: summary.createdAt,
    ...timeSlotsOf(summary.createdAt),
    details: detailsOf(summary),
  };
}

function statusClassField(summary: DeliveryDocument): Pick<StoredDelivery, 'statusClass'> {
  const statusClass = deliveryStatusClass(summary.lastAttempt);
  return statusClass ? { statusClass } : {};
}

/** What an update of the summary sets (its identity, creation time and slots never change). */
export function storedProgress(
  summary: DeliveryDocument,
): Pick<StoredDelivery, 'status' | 'attemptCount' | 'details' | 'environment' | 'statusClass'> {
  return {
    status: summary.status,
    // Set again on each update, so a summary recorded before these fields gains them then.
    environment: summary.environment,
    statusClass: deliveryStatusClass(summary.lastAttempt),
    attemptCount: summary.attemptCount,
    details: detailsOf(summary),
  };
}

export function deliveryOf(stored: StoredDelivery): DeliveryDocument {
  // A summary written before this shape (no details): its fields are all at the top level.
  if (typeof stored.details !== 'string') {
    const old = stored as unknown as DeliveryDocument;
    return { ...old, requestedBy: old.requestedBy ?? null };
  }
  const details = JSON.parse(stored.details) as DeliveryDetails;
  const last = details.lastAttempt;
  return {
    _id: stored._id,
    webhookId: stored.webhookId,
    eventId: stored.eventId,
    eventType: stored.eventType,
    environment: details.environment,
    status: stored.status,
    attemptCount: stored.attemptCount,
    scheduledAttempts: details.scheduledAttempts,
    nextAttemptAt: dateOrNull(details.nextAttemptAt),
    lastAttempt: last ? { ...last, at: new Date(last.at) } : null,
    failureReason: details.failureReason,
    requestedBy: details.requestedBy ?? null,
    createdAt: stored.createdAt,
    updatedAt: new Date(details.updatedAt),
    finishedAt: dateOrNull(details.finishedAt),
    ...(details.source && { source: details.source }),
  };
}

function detailsOf(summary: DeliveryDocument): string {
  const last = summary.lastAttempt;
  const details: DeliveryDetails = {
    environment: summary.environment,
    scheduledAttempts: summary.scheduledAttempts,
    nextAttemptAt: summary.nextAttemptAt?.toISOString() ?? null,
    lastAttempt: last ? { ...last, at: last.at.toISOString() } : null,
    failureReason: summary.failureReason,
    requestedBy: summary.requestedBy,
    updatedAt: summary.updatedAt.toISOString(),
    finishedAt: summary.finishedAt?.toISOString() ?? null,
    ...(summary.source && { source: summary.source }),
  };
  return JSON.stringify(details);
}

function dateOrNull(iso: string | null): Date | null {
  return iso === null ? null : new Date(iso);
}
