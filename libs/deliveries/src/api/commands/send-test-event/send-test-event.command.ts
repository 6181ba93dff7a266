import type { EventMetadata } from '@app/event-store';

/** Send a signed `webhook.test` event to one webhook's endpoint. */
export class SendTestEventCommand {
  constructor(
    readonly webhookId: string,
    /** Who asked (`actor`, `user:<sub>`: kept on the attempt it makes) and the request chain. */
    readonly metadata: EventMetadata,
  ) {}
}
