import type { StoredEvent } from '@app/event-store';
import { isWebhookEventType, PAUSE_KIND_WORDS, type WebhookEvent } from '../domain/webhook.events';
import type { WebhookListDocument } from './webhook-list.document';

/** The fields of a webhook's list entry that one event sets. */
export type WebhookListFields = Partial<Omit<WebhookListDocument, '_id' | '_position'>>;

export interface WebhookListChange {
  webhookId: string;
  /** Only WebhookCreated makes an entry; every other event changes an existing one. */
  creates: boolean;
  set: WebhookListFields;
}

/**
 * What one stored event changes in the webhook list, or null for events that are not the
 * webhook's. One mapping for both copies of the list (the durable read model and the api's
 * in-memory directory), so the two cannot drift apart. Every change sets `version` and
 * `updatedAt`: the stream version is the ETag, the time orders `sort=updatedAt`.
 */
export function webhookListChange(stored: StoredEvent): WebhookListChange | null {
  if (!isWebhookEventType(stored.type)) return null;
  const event = { type: stored.type, data: stored.data } as WebhookEvent;
  const at = stored.recordedAt;
  const touch = { version: stored.version, updatedAt: at };
  const change = (set: WebhookListFields, creates = false): WebhookListChange => ({
    webhookId: event.data.id,
    creates,
    set: { ...set, ...touch },
  });
  switch (event.type) {
    case 'WebhookCreated': {
      const { data } = event;
      return change(
        {
          name: data.name,
          nameLower: data.name.toLowerCase(),
          url: data.url,
          urlLower: data.url.toLowerCase(),
          environment: data.environment,
          eventTypes: data.eventTypes,
          eventCount: data.eventTypes.length,
          status: data.active ? 'active' : 'inactive',
          deactivationReason: data.active ? null : 'admin',
          pause: null,
          description: data.description,
          secretHint: data.secretHint,
          signatureScheme: data.signatureScheme ?? 'symmetric',
          publicKey: data.publicKey ?? null,
          createdAt: at,
        },
        true,
      );
    }
    case 'WebhookUpdated': {
      const { changes } = event.data;
      const set: WebhookListFields = {};
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
      return change(set);
    }
    case 'WebhookActivated':
      return change({ status: 'active', deactivationReason: null, pause: null });
    case 'WebhookDeactivated': {
      const { reason, detail, kind = 'failing' } = event.data;
      return change({
        status: 'inactive',
        deactivationReason: reason,
        pause:
          reason === 'automatic' ? { reason: detail ?? PAUSE_KIND_WORDS[kind], kind, at } : null,
      });
    }
    case 'SecretRotated':
      return change({
        secretHint: event.data.secretHint,
        signatureScheme: event.data.signatureScheme ?? 'symmetric',
        publicKey: event.data.publicKey ?? null,
      });
    case 'DeliverySettingsChanged': {
      const { changes } = event.data;
      const set: WebhookListFields = {};
      if (changes.retryPolicy) set.retryPolicy = changes.retryPolicy.to;
      if (changes.rateLimitPerSecond) set.rateLimitPerSecond = changes.rateLimitPerSecond.to;
      if (changes.headers) set.headers = changes.headers.to;
      return change(set);
    }
    case 'WebhookDeleted':
      return change({ status: 'deleted' });
    default: {
      const unhandled: never = event;
      throw new Error(`Unhandled webhook event ${JSON.stringify(unhandled)}`);
    }
  }
}
