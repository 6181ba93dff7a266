/** A manual attempt of one delivery, now. */
export class RetryDeliveryCommand {
  constructor(
    readonly deliveryId: string,
    /** Who asked (`user:<sub>`), for the log: the storage keeps no actor. */
    readonly actor: string,
  ) {}
}
