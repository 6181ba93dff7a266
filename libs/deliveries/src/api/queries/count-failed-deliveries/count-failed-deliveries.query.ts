import type { FailedDeliveriesFilter } from '../../commands/retry-failed-deliveries/failed-deliveries.filter';

/** How many failed deliveries match the filter (what a bulk retry would re-send), up to 10,000. */
export class CountFailedDeliveriesQuery {
  constructor(readonly filter: FailedDeliveriesFilter) {}
}
