import { Injectable } from '@nestjs/common';
import {
  DeciderCommandHandler,
  EventStore,
  type EventSourcedDecider,
  type HandleOptions,
  type HandledCommand,
  type LoadedStream,
  type ReadStreamOptions,
} from '@app/event-store';
import type { WebhookCommand, WebhookDecideContext } from '../domain/webhook.commands';
import { webhookDecider } from '../domain/webhook.decider';
import {
  isWebhookEventType,
  toNewEvent,
  type WebhookEvent,
  type WebhookState,
} from '../domain/webhook.events';
import { webhookStreamId } from './webhook-stream';

/** A webhook's stream folded: `version` is 0 when the webhook never existed. */
export type LoadedWebhook = LoadedStream<WebhookState>;

export type WebhookCommandOptions = HandleOptions<WebhookState, WebhookDecideContext>;

/** The webhook decider with the stored form of its events. */
const storedWebhookDecider: EventSourcedDecider<
  WebhookCommand,
  WebhookEvent,
  WebhookState,
  WebhookDecideContext
> = {
  ...webhookDecider,
  fromStored: (event) =>
    isWebhookEventType(event.type)
      ? ({ type: event.type, data: event.data } as WebhookEvent)
      : undefined,
  toNew: toNewEvent,
};

/** The webhooks' streams: loaded and written through the event store's decider command handler. */
@Injectable()
export class WebhookRepository {
  private readonly streams: DeciderCommandHandler<
    WebhookCommand,
    WebhookEvent,
    WebhookState,
    WebhookDecideContext
  >;

  constructor(store: EventStore) {
    this.streams = new DeciderCommandHandler(store, storedWebhookDecider);
  }

  /** The webhook's stream folded: all of it, as of a time (`Date`), or up to a version. */
  load(webhookId: string, asOf?: Date | ReadStreamOptions): Promise<LoadedWebhook> {
    const options = asOf instanceof Date ? { asOf } : (asOf ?? {});
    return this.streams.load(webhookStreamId(webhookId), options);
  }

  /** Runs a command on the stream of the webhook it names. */
  handle(
    command: WebhookCommand,
    options: WebhookCommandOptions,
  ): Promise<HandledCommand<WebhookState>> {
    return this.streams.handle(webhookStreamId(command.data.id), command, options);
  }
}
