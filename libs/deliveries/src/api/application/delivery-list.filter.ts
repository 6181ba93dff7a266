import type { DeliveryStatus } from '../../storage/delivery.documents';

/** What `GET /deliveries` can filter on. */
export interface DeliveryListFilter {
  webhookId?: string;
  status?: DeliveryStatus;
  eventType?: string;
  eventId?: string;
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
  return equalities;
}
