/** A manual attempt of one delivery, now. */
export class RetryDeliveryCommand {
  constructor(
    readonly deliveryId: string,
    /** Who asked (`user:<sub>`): kept on the attempt it makes. */
    readonly actor: string,
  ) {}
}
