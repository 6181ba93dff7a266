/** One delivery with its payload and every attempt. */
export class GetDeliveryQuery {
  constructor(readonly deliveryId: string) {}
}
