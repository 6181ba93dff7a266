import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DeliveryDocument } from '../../../storage/delivery.documents';
import { LiveWebhooks } from '../../application/live-webhooks';
import { isRequested } from '../../application/queue-entries';
import { MAX_RECOVERED_PER_CALL } from '../../commands/recover-deliveries/recover-deliveries.handler';
import { DeliveryQueueRepository } from '../../delivery-queue.repository';
import { DeliveryRepository } from '../../delivery.repository';
import { PreviewRecoveryQuery } from './preview-recovery.query';

export interface RecoveryPreview {
  /** Failed deliveries a recovery would re-send now (at most maxPerCall). */
  recoverable: number;
  /** More than one call re-sends: a recovery would be capped. */
  capped: boolean;
  maxPerCall: number;
}

/** Checked against the queue this many at a time (one read each, only for a webhook asking). */
const BATCH = 64;

/**
 * Counts what a recovery would re-send, by the same walk as the recovery (the webhook's failed
 * deliveries since `since`, oldest first), leaving out those with a re-send asked for already,
 * which a recovery does not count either; it writes nothing. Reads what a recovery of the same
 * span reads, and stops one past the cap.
 */
@QueryHandler(PreviewRecoveryQuery)
export class PreviewRecoveryHandler implements IQueryHandler<
  PreviewRecoveryQuery,
  RecoveryPreview
> {
  constructor(
    private readonly webhooks: LiveWebhooks,
    private readonly deliveries: DeliveryRepository,
    private readonly queue: DeliveryQueueRepository,
  ) {}

  async execute({ webhookId, since }: PreviewRecoveryQuery): Promise<RecoveryPreview> {
    await this.webhooks.get(webhookId);
    const asking = await this.queue.webhooksAsking();
    let count = 0;
    let batch: DeliveryDocument[] = [];
    const flush = async () => {
      const coming = await this.queue.requestedOf(batch, asking);
      count += batch.filter((d) => !isRequested(d, coming.get(d._id))).length;
      batch = [];
    };
    for await (const failed of this.deliveries.failedSince(webhookId, since)) {
      batch.push(failed);
      if (batch.length >= BATCH) await flush();
      if (count > MAX_RECOVERED_PER_CALL) break;
    }
    await flush();
    return {
      recoverable: Math.min(count, MAX_RECOVERED_PER_CALL),
      capped: count > MAX_RECOVERED_PER_CALL,
      maxPerCall: MAX_RECOVERED_PER_CALL,
    };
  }
}
