import { Injectable } from '@nestjs/common';
import { EventStore, type AppendResult, type NewEvent } from '@app/event-store';
import { webhookActivityStreamId } from '../application/webhook-stream';

/**
 * Appends to a webhook's activity stream: audited actions that do not change the webhook (secret
 * reveals here; manual retries, recoveries and test sends from the deliveries side). Never the
 * webhook's own stream, so its version, and the ETag an admin holds, stay as they were.
 *
 * At any version ('any'): the actions are independent facts, none decided on another, so two
 * recorded at once both land (the store retries at the new head) instead of one failing.
 * Every event must carry `data.webhookId`: the history and the audit read it by that.
 */
@Injectable()
export class WebhookActivityLog {
  constructor(private readonly store: EventStore) {}

  record(webhookId: string, events: readonly NewEvent[]): Promise<AppendResult> {
    for (const event of events) {
      const data = event.data as { webhookId?: unknown } | null;
      if (data?.webhookId !== webhookId) {
        throw new Error(`${event.type} on the activity of ${webhookId} must name it as webhookId`);
      }
    }
    return this.store.append(webhookActivityStreamId(webhookId), 'any', events);
  }
}
