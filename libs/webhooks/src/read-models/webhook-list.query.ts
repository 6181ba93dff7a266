import type { Collection, Document, Filter, Sort } from 'mongodb';
import type { Environment, EventType } from '../domain/event-catalogue';
import type { WebhookListDocument } from './webhook-list.document';

export type WebhookSort = 'name' | 'updatedAt';

export interface ListWebhooksParams {
  /** Case-insensitive substring of the name or the URL. */
  search?: string;
  environment?: Environment;
  status?: 'active' | 'inactive';
  eventType?: EventType;
  /** `name`: A to Z; `updatedAt`: most recently changed first. */
  sort?: WebhookSort;
  limit: number;
  cursor?: string;
}

export interface WebhookListPage {
  items: WebhookListDocument[];
  /** Webhooks matching the filter (all pages). */
  total: number;
  /** Per status, for the other filters: what the status filter would show. */
  counts: { active: number; inactive: number };
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** The cursor is invalid (tampered with, or from another sort order). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/** Reads the webhook list read model: filters, search, keyset pagination, totals and counts. */
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

function encodeCursor(sort: WebhookSort, last: WebhookListDocument): string {
  const key = sort === 'name' ? last.nameLower : last.updatedAt.toISOString();
  return Buffer.from(JSON.stringify([sort, key, last._id])).toString('base64url');
}

function afterCursor(sort: WebhookSort, cursor: string): Filter<WebhookListDocument> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('The cursor is not one this API returned');
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 3 ||
    decoded[0] !== sort ||
    typeof decoded[1] !== 'string' ||
    typeof decoded[2] !== 'string'
  ) {
    throw new InvalidCursorError('The cursor does not belong to this sort order');
  }
  const [, key, id] = decoded as [string, string, string];
  if (sort === 'name') {
    return { $or: [{ nameLower: { $gt: key } }, { nameLower: key, _id: { $gt: id } }] };
  }
  const at = new Date(key);
  if (Number.isNaN(at.getTime())) throw new InvalidCursorError('The cursor is damaged');
  return { $or: [{ updatedAt: { $lt: at } }, { updatedAt: at, _id: { $gt: id } }] };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
