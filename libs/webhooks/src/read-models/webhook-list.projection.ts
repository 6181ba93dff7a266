import {
  applyOnce,
  type Projection,
  type ProjectionContext,
  type StoredEvent,
} from '@app/event-store';
import type { Collection, Document, IndexDescription } from 'mongodb';
import { isWebhookEventType, type WebhookEvent } from '../domain/webhook.events';

export const WEBHOOK_LIST_PROJECTION = 'webhook-list';

/**
 * Builds the webhook list read model. Each event sets the fields it changed plus `version` and
 * `updatedAt`, through applyOnce, so replaying any suffix of the log leaves the same documents.
 * A deleted webhook keeps its document with status `deleted` (queries leave those out), so a replay
 * cannot bring it back.
 */
export class WebhookListProjection implements Projection {
  readonly name = WEBHOOK_LIST_PROJECTION;
  readonly collectionBase = 'rm_webhooks';

  async setup(collection: Collection<Document>): Promise<void> {
    // The indexes a real MongoDB uses for the list's filters, search order and cursor pages. One
    // at a time: FerretDB 1.24 panics (and drops the connection) on a createIndexes of several
    // indexes that already exist, i.e. when a second api process starts on the same database.
    const indexes: IndexDescription[] = [
      { key: { status: 1, environment: 1, nameLower: 1, _id: 1 }, name: 'filter_by_name' },
      { key: { status: 1, environment: 1, updatedAt: -1, _id: 1 }, name: 'filter_by_update' },
      { key: { eventTypes: 1, status: 1 }, name: 'by_event_type' },
    ];
    for (const index of indexes) await collection.createIndexes([index]);
  }

  async apply(stored: StoredEvent, { collection }: ProjectionContext): Promise<void> {
    if (!isWebhookEventType(stored.type)) return;
    const event = { type: stored.type, data: stored.data } as WebhookEvent;
    const at = stored.recordedAt;
    const touch = { version: stored.version, updatedAt: at };
    const id = event.data.id;
    switch (event.type) {
      case 'WebhookCreated': {
        const { data } = event;
        await applyOnce(
          collection,
          id,
          stored.position,
          {
            $set: {
              name: data.name,
              nameLower: data.name.toLowerCase(),
              url: data.url,
              urlLower: data.url.toLowerCase(),
              environment: data.environment,
              eventTypes: data.eventTypes,
              eventCount: data.eventTypes.length,
              status: data.active ? 'active' : 'inactive',
              deactivationReason: data.active ? null : 'admin',
              description: data.description,
              secretHint: data.secretHint,
              createdAt: at,
              ...touch,
            },
          },
          { upsert: true },
        );
        return;
      }
      case 'WebhookUpdated': {
        const { changes } = event.data;
        const set: Document = { ...touch };
        if (changes.name)
          Object.assign(set, { name: changes.name.to, nameLower: changes.name.to.toLowerCase() });
        if (changes.url)
          Object.assign(set, { url: changes.url.to, urlLower: changes.url.to.toLowerCase() });
        if (changes.environment) set.environment = changes.environment.to;
        if (changes.eventTypes) {
          Object.assign(set, {
            eventTypes: changes.eventTypes.to,
            eventCount: changes.eventTypes.to.length,
          });
        }
        if (changes.description) set.description = changes.description.to;
        await applyOnce(collection, id, stored.position, { $set: set });
        return;
      }
      case 'WebhookActivated':
        await applyOnce(collection, id, stored.position, {
          $set: { status: 'active', deactivationReason: null, ...touch },
        });
        return;
      case 'WebhookDeactivated':
        await applyOnce(collection, id, stored.position, {
          $set: { status: 'inactive', deactivationReason: event.data.reason, ...touch },
        });
        return;
      case 'SecretRotated':
        await applyOnce(collection, id, stored.position, {
          $set: { secretHint: event.data.secretHint, ...touch },
        });
        return;
      case 'WebhookDeleted':
        await applyOnce(collection, id, stored.position, { $set: { status: 'deleted', ...touch } });
        return;
      default: {
        const unhandled: never = event;
        throw new Error(`Unhandled webhook event ${JSON.stringify(unhandled)}`);
      }
    }
  }
}
