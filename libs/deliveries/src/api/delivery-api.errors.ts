/** No delivery has this id, in the queue or in the history. Maps to HTTP 404. */
export class DeliveryNotFoundError extends Error {
  override readonly name = 'DeliveryNotFoundError';
  constructor(readonly deliveryId: string) {
    super(`Delivery ${deliveryId} not found`);
  }
}

/** A list cursor this API did not hand out (tampered with, or truncated). Maps to HTTP 400. */
export class InvalidDeliveryCursorError extends Error {
  override readonly name = 'InvalidDeliveryCursorError';
}

/**
 * A manual retry kept racing the worker (the delivery moved between the queue and the history on
 * every try), so nothing was scheduled. Rare enough that the caller simply tries again. Maps to 503.
 */
export class DeliveryRetryContentionError extends Error {
  override readonly name = 'DeliveryRetryContentionError';
  constructor(readonly deliveryId: string) {
    super(`Delivery ${deliveryId} kept moving between the queue and the history; try again`);
  }
}
