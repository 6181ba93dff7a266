import {
  applyOnce,
  type Projection,
  type ProjectionContext,
  type StoredEvent,
} from '@app/event-store';
import type { Collection, Document, IndexDescription } from 'mongodb';
import { webhookListChange } from './webhook-list.changes';

export const WEBHOOK_LIST_PROJECTION = 'webhook-list';

/** The indexes a real MongoDB uses for the list's filters, search order and cursor pages. */
const LIST_INDEXES: IndexDescription[] = [
  { key: { status: 1, environment: 1, nameLower: 1, _id: 1 }, name: 'filter_by_name' },
  { key: { status: 1, environment: 1, updatedAt: -1, _id: 1 }, name: 'filter_by_update' },
  { key: { eventTypes: 1, status: 1 }, name: 'by_event_type' },
];

/**
 * Builds the webhook list read model in a collection. Each event sets the fields it changed plus
 * `version` and `updatedAt` (webhookListChange), through applyOnce, so replaying any suffix of the log leaves the same documents.
 * A deleted webhook keeps its document with status `deleted` (queries leave those out), so a replay
 * cannot bring it back.
 */
export class WebhookListProjection implements Projection {
  readonly name = WEBHOOK_LIST_PROJECTION;
  readonly collectionBase = 'rm_webhooks';

  async setup(collection: Collection<Document>): Promise<void> {
    // One index per call: FerretDB 1.24 drops the connection (a panic on its side) when one
    // createIndexes names several indexes that all exist already, as they do when a second
    // process, or a new writer taking over at position 0, sets the collection up again.
    for (const index of LIST_INDEXES) await collection.createIndexes([index]);
  }

  async apply(stored: StoredEvent, { collection }: ProjectionContext): Promise<void> {
    const change = webhookListChange(stored);
    if (!change) return;
    await applyOnce(
      collection,
      change.webhookId,
      stored.position,
      { $set: change.set },
      change.creates ? { upsert: true } : {},
    );
  }
}
