import type { Projection, StoredEvent } from '@app/event-store';
import { webhookListChange } from '../webhook-list.changes';
import type { WebhookListDocument } from '../webhook-list.document';
import type { ListWebhooksParams, WebhookListPage } from '../webhook-list.params';
import { SortedList } from './sorted-list';
import { listFromOrders, WEBHOOK_ORDERS, type WebhookOrders } from './webhook-directory.query';

export const WEBHOOK_DIRECTORY_PROJECTION = 'webhook-directory';

/**
 * Every webhook as the list and detail views show it, held in the api's memory: the webhooks are
 * configuration (thousands, not millions), and the embedded database evaluates anything but
 * equality in its own process, decoding every row, so a filtered, sorted, counted list of 10,000
 * webhooks took seconds there; here it takes a few milliseconds.
 *
 * Built from the webhook events by a runner with an in-memory checkpoint, like the worker's
 * subscription index: every api process rebuilds it from the log when it starts, then follows
 * the log (WebhookDirectoryHost makes each read wait until it has caught up with the log's head).
 * Entries are the same documents as the durable read model's (webhookListChange), kept in both
 * sort orders, so a page is a walk from the cursor instead of a sort. Entries are replaced, never
 * changed in place: a page handed out stays as it was.
 *
 * Idempotent: an event at or before an entry's `_position` is skipped. Deleted webhooks keep
 * their entry (status `deleted`, left out of lists), so a replay cannot bring them back.
 */
export class WebhookDirectory implements Projection {
  readonly name = WEBHOOK_DIRECTORY_PROJECTION;
  // No collectionBase: the read model lives in memory only.

  private readonly entries = new Map<string, WebhookListDocument>();
  private readonly orders: WebhookOrders = {
    name: new SortedList<WebhookListDocument>(WEBHOOK_ORDERS.name),
    updatedAt: new SortedList<WebhookListDocument>(WEBHOOK_ORDERS.updatedAt),
  };

  apply(stored: StoredEvent): Promise<void> {
    try {
      this.applyEvent(stored);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** A webhook by id, deleted ones included (auditors read them). */
  get(id: string): WebhookListDocument | undefined {
    return this.entries.get(id);
  }

  /** Filters, search, sort, keyset cursor, totals and counts, as the database query answers. */
  list(params: ListWebhooksParams): WebhookListPage {
    return listFromOrders(this.orders, params);
  }

  /** Webhooks known, deleted ones included. */
  get size(): number {
    return this.entries.size;
  }

  private applyEvent(stored: StoredEvent): void {
    const change = webhookListChange(stored);
    if (!change) return;
    const before = this.entries.get(change.webhookId);
    if (before ? stored.position <= before._position : !change.creates) return;
    const after = {
      ...before,
      ...change.set,
      _id: change.webhookId,
      _position: stored.position,
    } as WebhookListDocument;
    if (before) {
      this.orders.name.remove(before);
      this.orders.updatedAt.remove(before);
    }
    this.entries.set(after._id, after);
    this.orders.name.insert(after);
    this.orders.updatedAt.insert(after);
  }
}
