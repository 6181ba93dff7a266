import type { EventMetadata } from '@app/event-store';
import type { FailedDeliveriesFilter } from './failed-deliveries.filter';

/**
 * Re-send, once each like a manual retry, up to `limit` failed deliveries matching the filter,
 * newest first, from `cursor` on: one call of a loop that goes on with the cursor it returns.
 */
export class RetryFailedDeliveriesCommand {
  constructor(
    readonly filter: FailedDeliveriesFilter,
    readonly limit: number,
    readonly cursor: string | undefined,
    /** Who asked (`actor`: kept on the attempts) and the request chain. */
    readonly metadata: EventMetadata,
  ) {}
}
