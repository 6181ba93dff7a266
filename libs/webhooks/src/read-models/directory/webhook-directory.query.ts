import {
  decodeCursor,
  encodeCursor,
  type ListCursor,
  type WebhookSort,
} from '../webhook-list.cursor';
import type { WebhookListDocument } from '../webhook-list.document';
import type { ListWebhooksParams, WebhookListPage } from '../webhook-list.params';
import { compareCodePoints, SortedList } from './sorted-list';

/** The sort keys an order compares: what a cursor probe carries. */
type SortKeys = Pick<WebhookListDocument, '_id' | 'nameLower' | 'updatedAt'>;

/** `name`: A to Z, then id; `updatedAt`: most recently changed first, then id (as the database). */
export const WEBHOOK_ORDERS: Record<WebhookSort, (a: SortKeys, b: SortKeys) => number> = {
  name: (a, b) => compareCodePoints(a.nameLower, b.nameLower) || compareCodePoints(a._id, b._id),
  updatedAt: (a, b) =>
    b.updatedAt.getTime() - a.updatedAt.getTime() || compareCodePoints(a._id, b._id),
};

export type WebhookOrders = Record<WebhookSort, SortedList<WebhookListDocument>>;

/**
 * The list's answer from the in-memory orders: the same items, totals, counts and cursors as the
 * database query on the read model (webhook-list.query.ts). One walk over the order: the page
 * starts at the cursor (a binary search) and the counts take every webhook the filters leave,
 * plain comparisons in memory (2-3 ms for 10,000 webhooks).
 */
export function listFromOrders(orders: WebhookOrders, params: ListWebhooksParams): WebhookListPage {
  const sort = params.sort ?? 'name';
  const order = orders[sort];
  const start = params.cursor ? order.firstAfter(probe(decodeCursor(sort, params.cursor))) : 0;
  const matches = baseFilter(params);
  const items: WebhookListDocument[] = [];
  const counts = { active: 0, inactive: 0 };
  let deleted = 0;
  for (let index = 0; index < order.length; index++) {
    const webhook = order.at(index);
    if (!matches(webhook)) continue;
    // Deleted webhooks are listed only when asked for, and never counted with the live ones.
    if (webhook.status === 'deleted') deleted++;
    else counts[webhook.status]++;
    if (params.status ? webhook.status !== params.status : webhook.status === 'deleted') continue;
    if (index >= start && items.length <= params.limit) items.push(webhook);
  }
  const hasMore = items.length > params.limit;
  const shown = hasMore ? items.slice(0, params.limit) : items;
  const last = shown[shown.length - 1];
  return {
    items: shown,
    total:
      params.status === 'deleted'
        ? deleted
        : params.status
          ? counts[params.status]
          : counts.active + counts.inactive,
    counts,
    nextCursor: hasMore && last ? encodeCursor(sort, last) : null,
  };
}

/** Environment, event type and search: every filter but the status (the counts are per status). */
function baseFilter(params: ListWebhooksParams): (webhook: WebhookListDocument) => boolean {
  const { environment, eventType } = params;
  const search = params.search?.trim().toLowerCase();
  return (webhook) =>
    (!environment || webhook.environment === environment) &&
    (!eventType || webhook.eventTypes.includes(eventType)) &&
    (!search || webhook.nameLower.includes(search) || webhook.urlLower.includes(search));
}

function probe(cursor: ListCursor): WebhookListDocument {
  const keys: SortKeys =
    cursor.sort === 'name'
      ? { _id: cursor.id, nameLower: cursor.nameLower, updatedAt: new Date(0) }
      : { _id: cursor.id, nameLower: '', updatedAt: cursor.updatedAt };
  return keys as WebhookListDocument;
}
