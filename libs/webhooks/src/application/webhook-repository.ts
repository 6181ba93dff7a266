import { Injectable } from '@nestjs/common';
import { EventStore, type AppendResult, type StoredEvent } from '@app/event-store';
import {
  evolve,
  initialState,
  isWebhookEventType,
  toNewEvent,
  type WebhookEvent,
  type WebhookState,
} from '../domain/webhook.events';
import type { RequestMetadata } from '@app/platform';
import { webhookStreamId } from './webhook-stream';

export interface LoadedWebhook {
  state: WebhookState;
  /** The stream version (0 when the webhook never existed). */
  version: number;
  events: StoredEvent[];
}

/** Loads a webhook by folding its stream, and appends what its commands decide. */
@Injectable()
export class WebhookRepository {
  constructor(private readonly store: EventStore) {}

  async load(webhookId: string, asOf?: Date): Promise<LoadedWebhook> {
    const events = (await this.store.readStream(webhookStreamId(webhookId), { asOf })).filter(
      (event) => isWebhookEventType(event.type),
    );
    const state = events.reduce(
      (current, event) => evolve(current, { type: event.type, data: event.data } as WebhookEvent),
      initialState,
    );
    return { state, version: events.at(-1)?.version ?? 0, events };
  }

  append(
    webhookId: string,
    expectedVersion: number,
    events: readonly WebhookEvent[],
    request: RequestMetadata,
  ): Promise<AppendResult> {
    const metadata = { ...request };
    return this.store.append(
      webhookStreamId(webhookId),
      expectedVersion,
      events.map((event) => toNewEvent(event, metadata)),
    );
  }
}
