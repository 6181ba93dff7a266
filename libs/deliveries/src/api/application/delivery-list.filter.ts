import type { Collection, Document, Filter, Sort } from 'mongodb';
import type { DeliveryStatus } from '../../storage/delivery.documents';
import type { DeliveryPosition } from './delivery-position';
import type { ListedDeliveryDocument } from './delivery.view';

/** Loosely typed: one filter serves both collections, whose status types differ. */
export type DeliveryFilter = Filter<Document & { _id: string }>;

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
 * List views never show the payload nor an attempt's headers and body (up to 4 KiB each), so they
 * are left on the server. An exclusion rather than `$slice: -1` on attempts: FerretDB 1.24 lacks
 * `$slice` projections.
 */
export const DELIVERY_LIST_PROJECTION = {
  payload: 0,
  'attempts.requestHeaders': 0,
  'attempts.responseBody': 0,
  'attempts.url': 0,
} as const;

/**
 * The same query for both collections. Equalities go first and stay plain, since they are all
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

/** One page of list items from either collection (queue or history): same filter, order and fields. */
export function listDeliveries<T extends Document>(
  collection: Collection<T>,
  filter: DeliveryListFilter,
  after: DeliveryPosition | undefined,
  limit: number,
): Promise<ListedDeliveryDocument[]> {
  return collection
    .find(deliveryListQuery(filter, after) as Filter<T>, { projection: DELIVERY_LIST_PROJECTION })
    .sort(DELIVERY_LIST_SORT)
    .limit(limit)
    .toArray() as Promise<unknown[]> as Promise<ListedDeliveryDocument[]>;
}
