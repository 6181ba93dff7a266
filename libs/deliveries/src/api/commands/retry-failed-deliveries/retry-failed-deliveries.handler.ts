import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/event-store';
import { AttemptRequests } from '../../application/attempt-requests';
import { DeliveryActivity } from '../../application/delivery-activity';
import {
  decodeDeliveryCursor,
  encodeDeliveryCursor,
  positionOf,
  type DeliveryPosition,
} from '../../application/delivery-position';
import { DeliveryRepository } from '../../delivery.repository';
import { failedListFilter, givenFields, MAX_SLOTS_PER_BULK_CALL } from './failed-deliveries.filter';
import { RetryFailedDeliveriesCommand } from './retry-failed-deliveries.command';

export interface BulkRetryResult {
  /** Failed deliveries this call re-sent (one asked for already is not counted again). */
  retried: number;
  /** Where the next call goes on; null when the set is done. */
  nextCursor: string | null;
}

/** Inserts in flight at once, as for a recovery. */
const CONCURRENT_RESENDS = 8;

/**
 * One call of a bulk retry: walks the matching failed deliveries newest first from the cursor
 * (the list's walk, bounded to MAX_SLOTS_PER_BULK_CALL slots), re-sends each once (a manual
 * retry's queue entry, so a delivery asked for twice is sent once) until `limit` are re-sent,
 * and records one FailedDeliveriesRetryRequested per webhook it re-sent deliveries of.
 */
@CommandHandler(RetryFailedDeliveriesCommand)
export class RetryFailedDeliveriesHandler implements ICommandHandler<
  RetryFailedDeliveriesCommand,
  BulkRetryResult
> {
  private readonly logger = new Logger('Deliveries');

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly requests: AttemptRequests,
    private readonly activity: DeliveryActivity,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    filter,
    limit,
    cursor,
    metadata,
  }: RetryFailedDeliveriesCommand): Promise<BulkRetryResult> {
    const after = cursor ? decodeDeliveryCursor(cursor) : undefined;
    const now = this.clock.now();
    const byWebhook = new Map<string, number>();
    let retried = 0;
    let next: DeliveryPosition | null = null;
    const scan = this.deliveries.scan(failedListFilter(filter), after, MAX_SLOTS_PER_BULK_CALL);
    walk: for await (const slot of scan) {
      if ('resumeAt' in slot) {
        next = slot.resumeAt;
        break;
      }
      for (let i = 0; i < slot.deliveries.length;) {
        const chunk = slot.deliveries.slice(i, i + Math.min(CONCURRENT_RESENDS, limit - retried));
        i += chunk.length;
        const resent = await Promise.all(
          chunk.map((d) => this.requests.resend(d, metadata.actor, now)),
        );
        chunk.forEach((delivery, index) => {
          if (!resent[index]) return;
          retried++;
          byWebhook.set(delivery.webhookId, (byWebhook.get(delivery.webhookId) ?? 0) + 1);
        });
        if (retried >= limit) {
          next = positionOf(chunk.at(-1)!);
          break walk;
        }
      }
    }
    const asked = givenFields(filter);
    for (const [webhookId, count] of byWebhook) {
      await this.activity.record(
        {
          type: 'FailedDeliveriesRetryRequested',
          data: { webhookId, filter: asked, retried: count },
        },
        metadata,
      );
    }
    this.logger.log(
      `bulk retry ${JSON.stringify(asked)} requested by ${metadata.actor}: ${retried} failed ` +
        `deliveries of ${byWebhook.size} webhooks re-sent${next ? ' (more to come)' : ''}`,
    );
    return { retried, nextCursor: next ? encodeDeliveryCursor(next) : null };
  }
}
