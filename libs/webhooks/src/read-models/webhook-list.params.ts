import type { Environment, EventType } from '../domain/event-catalogue';
import type { WebhookSort } from './webhook-list.cursor';
import type { WebhookListDocument } from './webhook-list.document';

export interface ListWebhooksParams {
  /** Case-insensitive substring of the name or the URL. */
  search?: string;
  environment?: Environment;
  /** None: active and inactive. `deleted`: only the deleted ones (kept in the list read models). */
  status?: 'active' | 'inactive' | 'deleted';
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
  /**
   * Per status, for the other filters: what the status filter would show. Live webhooks only:
   * deleted ones are counted by `total` when `status=deleted` is asked for.
   */
  counts: { active: number; inactive: number };
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}
