import type { EventMetadata } from '@app/event-store';

/** Re-send every failed delivery of one webhook created at or after `since`. */
export class RecoverDeliveriesCommand {
  constructor(
    readonly webhookId: string,
    readonly since: Date,
    /** Who asked (`actor`, `user:<sub>`: kept on the attempts it makes) and the request chain. */
    readonly metadata: EventMetadata,
  ) {}
}
