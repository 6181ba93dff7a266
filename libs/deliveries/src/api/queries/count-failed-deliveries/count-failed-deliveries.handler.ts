import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  failedListFilter,
  MAX_COUNTED,
  MAX_SLOTS_PER_COUNT,
} from '../../commands/retry-failed-deliveries/failed-deliveries.filter';
import { DeliveryQueueRepository } from '../../delivery-queue.repository';
import { DeliveryRepository } from '../../delivery.repository';
import { isRequested } from '../../application/queue-entries';
import { CountFailedDeliveriesQuery } from './count-failed-deliveries.query';

export interface FailedDeliveriesCount {
  /** Matching failed deliveries with no re-send asked for yet, at most MAX_COUNTED. */
  count: number;
  /** There may be more: MAX_COUNTED reached, or the read bound (MAX_SLOTS_PER_COUNT) was. */
  capped: boolean;
}

/**
 * Counts what a bulk retry of the filter would re-send, by the walk a bulk retry makes (newest
 * first, failed only), leaving out those with a re-send asked for already (a bulk retry does not
 * count them either). Writes nothing. Bounded: it stops one past MAX_COUNTED, or after
 * MAX_SLOTS_PER_COUNT slots of the directory, and then says `capped`.
 */
@QueryHandler(CountFailedDeliveriesQuery)
export class CountFailedDeliveriesHandler implements IQueryHandler<
  CountFailedDeliveriesQuery,
  FailedDeliveriesCount
> {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly queue: DeliveryQueueRepository,
  ) {}

  async execute({ filter }: CountFailedDeliveriesQuery): Promise<FailedDeliveriesCount> {
    const asking = await this.queue.webhooksAsking();
    let count = 0;
    for await (const slot of this.deliveries.scan(
      failedListFilter(filter),
      undefined,
      MAX_SLOTS_PER_COUNT,
    )) {
      if ('resumeAt' in slot) return { count: Math.min(count, MAX_COUNTED), capped: true };
      const coming = await this.queue.requestedOf(slot.deliveries, asking);
      count += slot.deliveries.filter((d) => !isRequested(d, coming.get(d._id))).length;
      if (count > MAX_COUNTED) return { count: MAX_COUNTED, capped: true };
    }
    return { count, capped: false };
  }
}
