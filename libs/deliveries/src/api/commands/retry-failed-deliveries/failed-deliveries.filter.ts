import type { DeliveryListFilter } from '../../application/delivery-list.filter';
import type { StatusClass } from '../../../storage/status-class';

/** Which failed deliveries a bulk retry acts on, as asked for (times as ISO 8601 text). */
export interface FailedDeliveriesFilter {
  webhookId?: string;
  eventType?: string;
  environment?: string;
  eventId?: string;
  from?: string;
  to?: string;
  statusClass?: StatusClass;
}

/** The list filter of those deliveries: the same fields, and failed ones only. */
export function failedListFilter(filter: FailedDeliveriesFilter): DeliveryListFilter {
  return {
    webhookId: filter.webhookId,
    eventType: filter.eventType,
    environment: filter.environment,
    eventId: filter.eventId,
    statusClass: filter.statusClass,
    from: filter.from ? new Date(filter.from) : undefined,
    to: filter.to ? new Date(filter.to) : undefined,
    status: 'failed',
  };
}

/** The filter with only the fields given, as the audit event keeps it. */
export function givenFields(filter: FailedDeliveriesFilter): FailedDeliveriesFilter {
  const given: FailedDeliveriesFilter = Object.fromEntries(
    Object.entries(filter).filter(([, value]) => value !== undefined && value !== null),
  );
  return given;
}

/** Slots of the directory one call reads at most (see MAX_SLOTS_PER_PAGE): a call stays bounded. */
export const MAX_SLOTS_PER_BULK_CALL = 512;
/** A count stops here: the page shows "10,000 or more". */
export const MAX_COUNTED = 10_000;
/** Slots a count reads at most; past them it answers what it found, `capped`. */
export const MAX_SLOTS_PER_COUNT = 5_000;
