import type { EventMetadata } from '@app/event-store';

/** A manual attempt of one delivery, now. */
export class RetryDeliveryCommand {
  constructor(
    readonly deliveryId: string,
    /** Who asked (`actor`, `user:<sub>`: kept on the attempt it makes) and the request chain. */
    readonly metadata: EventMetadata,
  ) {}
}
