import type { Collection, Document, Filter, Sort } from 'mongodb';
import {
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
  type WebhookSort,
} from './webhook-list.cursor';
import type { WebhookListDocument } from './webhook-list.document';

import type { ListWebhooksParams, WebhookListPage } from './webhook-list.params';

export { InvalidCursorError, type WebhookSort };
export type { ListWebhooksParams, WebhookListPage };

/**
 * Reads the durable webhook list read model (a collection): filters, search, keyset pagination,
 * totals and counts. The api answers from its in-memory WebhookDirectory instead (the same
 * answers, see webhook-directory.query.ts); this one serves tools that read the collection.
 */
export async function listWebhooks(
  collection: Collection<Document>,
  params: ListWebhooksParams,
): Promise<WebhookListPage> {
  const webhooks = collection as unknown as Collection<WebhookListDocument>;
  const sort = params.sort ?? 'name';
  const base = baseFilter(params);
  const matching: Filter<WebhookListDocument> = {
    ...base,
    status: params.status ?? { $in: ['active', 'inactive'] },
  };
  const page = params.cursor ? { $and: [matching, afterCursor(sort, params.cursor)] } : matching;
  const [items, total, active, inactive] = await Promise.all([
    webhooks
      .find(page)
      .sort(SORTS[sort])
      .limit(params.limit + 1)
      .toArray(),
    webhooks.countDocuments(matching),
    webhooks.countDocuments({ ...base, status: 'active' }),
    webhooks.countDocuments({ ...base, status: 'inactive' }),
  ]);
  const hasMore = items.length > params.limit;
  const shown = hasMore ? items.slice(0, params.limit) : items;
  const last = shown[shown.length - 1];
  return {
    items: shown,
    total,
    counts: { active, inactive },
    nextCursor: hasMore && last ? encodeCursor(sort, last) : null,
  };
}

const SORTS: Record<WebhookSort, Sort> = {
  name: { nameLower: 1, _id: 1 },
  updatedAt: { updatedAt: -1, _id: 1 },
};

function baseFilter(params: ListWebhooksParams): Filter<WebhookListDocument> {
  const filter: Filter<WebhookListDocument> = {};
  if (params.environment) filter.environment = params.environment;
  if (params.eventType) filter.eventTypes = params.eventType;
  const search = params.search?.trim().toLowerCase();
  if (search) {
    const pattern = escapeRegExp(search);
    filter.$or = [{ nameLower: { $regex: pattern } }, { urlLower: { $regex: pattern } }];
  }
  return filter;
}

function afterCursor(sort: WebhookSort, cursor: string): Filter<WebhookListDocument> {
  const after = decodeCursor(sort, cursor);
  if (after.sort === 'name') {
    const key = after.nameLower;
    return { $or: [{ nameLower: { $gt: key } }, { nameLower: key, _id: { $gt: after.id } }] };
  }
  const at = after.updatedAt;
  return { $or: [{ updatedAt: { $lt: at } }, { updatedAt: at, _id: { $gt: after.id } }] };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
