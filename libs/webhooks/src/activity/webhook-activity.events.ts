import type { EventMetadata, NewEvent } from '@app/event-store';
import type { WebhookSignatureScheme } from '../domain/webhook.events';

// The activity stream (webhookActivityStreamId) holds what was done *with* a webhook without changing
// it. Its events are facts to audit, not state to fold: nothing decides on them, so any number of
// them may be appended at any version ('any'). Shapes are spelled out as persisted; a shape change
// means a new schema version and an upcaster.

/**
 * An admin was shown the webhook's signing secret (`GET /webhooks/:id/secret`). Says who and when
 * (the metadata and the event's time) and which secret it was by the webhook's version at the time
 * (the history shows that version's hint): never the secret, its reference or its hint.
 */
export interface SecretRevealed {
  type: 'SecretRevealed';
  data: {
    webhookId: string;
    /** The webhook's stream version when it was revealed: which secret (and hint) it was. */
    webhookVersion: number;
    signatureScheme: WebhookSignatureScheme;
    /** Whether the rotated-out secret, still signing in its grace window, was shown too. */
    previousIncluded: boolean;
  };
}

export type WebhookActivityEvent = SecretRevealed;

export type WebhookActivityEventType = WebhookActivityEvent['type'];

/** The current schema version of each activity event type this library writes. */
export const WEBHOOK_ACTIVITY_EVENT_SCHEMA_VERSIONS = {
  SecretRevealed: 1,
} as const satisfies Record<WebhookActivityEventType, number>;

export function toNewActivityEvent(
  event: WebhookActivityEvent,
  metadata: EventMetadata,
): NewEvent<WebhookActivityEventType, WebhookActivityEvent['data']> {
  return {
    type: event.type,
    data: event.data,
    schemaVersion: WEBHOOK_ACTIVITY_EVENT_SCHEMA_VERSIONS[event.type],
    metadata,
  };
}
