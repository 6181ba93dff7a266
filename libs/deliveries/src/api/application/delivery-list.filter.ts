import type { Filter, Sort } from 'mongodb';
import type { DeliveryDocument, DeliveryStatus } from '../../storage/delivery.documents';
import type { DeliveryPosition } from './delivery-position';

export type DeliveryFilter = Filter<DeliveryDocument>;

/** What `GET /deliveries` can filter on. */
export interface DeliveryListFilter {
  webhookId?: string;
  status?: DeliveryStatus;
  eventType?: string;
  /** createdAt >= from */
  from?: Date;
  /** createdAt < to */
  to?: Date;
}

/** Newest first; the id breaks ties so the order, and thus every cursor, is total. */
export const DELIVERY_LIST_SORT: Sort = { createdAt: -1, _id: -1 };

/**
 * The list query over delivery summaries. Equalities go first and stay plain, since they are all
 * FerretDB hands down to PostgreSQL; the time range and the cursor's tie-break are evaluated by
 * FerretDB itself over what the equalities leave.
 */
export function deliveryListQuery(
  filter: DeliveryListFilter,
  after: DeliveryPosition | undefined,
): DeliveryFilter {
  const query: DeliveryFilter = {};
  if (filter.webhookId) query.webhookId = filter.webhookId;
  if (filter.status) query.status = filter.status;
  if (filter.eventType) query.eventType = filter.eventType;
  if (filter.from || filter.to) {
    query.createdAt = {
      ...(filter.from ? { $gte: filter.from } : {}),
      ...(filter.to ? { $lt: filter.to } : {}),
    };
  }
  if (!after) return query;
  return {
    $and: [
      query,
      {
        $or: [
          { createdAt: { $lt: after.createdAt } },
          { createdAt: after.createdAt, _id: { $lt: after.id } },
        ],
      },
    ],
  };
}
