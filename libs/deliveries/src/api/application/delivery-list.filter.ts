import type { DeliveryStatus } from '../../storage/delivery.documents';
import {
  ALL_DELIVERIES,
  environmentScope,
  eventTypeScope,
  FINISHED_STATUSES,
  statusClassScope,
  statusScope,
  webhookClassScope,
  webhookFailedScope,
  webhookScope,
} from '../../storage/delivery-scopes';
import type { SlotScope } from '../../storage/slot-directory';
import type { StatusClass } from '../../storage/status-class';

/** What `GET /deliveries` can filter on. */
export interface DeliveryListFilter {
  webhookId?: string;
  status?: DeliveryStatus;
  eventType?: string;
  eventId?: string;
  /** The webhook's environment (production, staging, development). */
  environment?: string;
  /** The class of the latest attempt's answer (status-class.ts). */
  statusClass?: StatusClass;
  /** createdAt >= from */
  from?: Date;
  /** createdAt < to */
  to?: Date;
}

/**
 * The filter's equalities, as stored summaries have them at the top level: all the embedded
 * FerretDB hands down to PostgreSQL (and the time range is walked by slots, never queried).
 */
export function deliveryEqualities(filter: DeliveryListFilter): Record<string, string> {
  const equalities: Record<string, string> = {};
  if (filter.webhookId) equalities.webhookId = filter.webhookId;
  if (filter.status) equalities.status = filter.status;
  if (filter.eventType) equalities.eventType = filter.eventType;
  if (filter.eventId) equalities.eventId = filter.eventId;
  if (filter.environment) equalities.environment = filter.environment;
  if (filter.statusClass) equalities.statusClass = filter.statusClass;
  return equalities;
}

/**
 * The directory scope a filtered list walks, the one most likely to be the narrowest: the
 * webhook's failures or its class of answer other than 2xx, else the webhook's, else the event
 * type's, else `failed`, else a status class other than 2xx, else an environment other than
 * production, else `succeeded`, `2xx`, production, and every delivery's last. None for one event's deliveries or for work in progress (pending, retrying), which are
 * read at once. The other filters are equalities on each slot read (deliveryEqualities): a slot
 * costs its records in that scope, and a page reads a bounded number of slots (the repository's
 * budget), so a rare combination is paged through with a cursor rather than in one request.
 */
export function listScopeOf(filter: DeliveryListFilter): SlotScope | null {
  if (filter.eventId) return null;
  if (filter.webhookId) {
    if (filter.status === 'failed') return webhookFailedScope(filter.webhookId);
    if (filter.statusClass && filter.statusClass !== '2xx') {
      return webhookClassScope(filter.webhookId, filter.statusClass);
    }
    return webhookScope(filter.webhookId);
  }
  if (filter.eventType) return eventTypeScope(filter.eventType);
  if (filter.status && !FINISHED_STATUSES.includes(filter.status)) return null;
  if (filter.status === 'failed') return statusScope('failed');
  if (filter.statusClass && filter.statusClass !== '2xx')
    return statusClassScope(filter.statusClass);
  if (filter.environment && filter.environment !== 'production') {
    return environmentScope(filter.environment);
  }
  if (filter.status) return statusScope(filter.status);
  if (filter.statusClass) return statusClassScope(filter.statusClass);
  if (filter.environment) return environmentScope(filter.environment);
  return ALL_DELIVERIES;
}
