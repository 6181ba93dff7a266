import type { DeliveryListFilter } from '../../application/delivery-list.filter';

/** One page of deliveries, newest first, from the queue and the history together. */
export class ListDeliveriesQuery {
  constructor(
    readonly filter: DeliveryListFilter,
    readonly limit: number,
    readonly cursor?: string,
  ) {}
}
