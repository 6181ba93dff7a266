import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/event-store';
import type { DeliveryHistoryDocument } from '../../../storage/delivery.documents';
import { DeliveryRequeuer } from '../../application/delivery-requeuer';
import { LiveWebhooks } from '../../application/live-webhooks';
import { DeliveryHistoryRepository } from '../../delivery-history.repository';
import { DeliveryQueueRepository } from '../../delivery-queue.repository';
import { RecoverDeliveriesCommand } from './recover-deliveries.command';

/** One call re-sends at most this many, so a request stays bounded in time and in queue growth. */
export const MAX_RECOVERED_PER_CALL = 10_000;
/** Inserts in flight at once: one by one would take minutes for a large recovery on FerretDB. */
const CONCURRENT_RESENDS = 8;

export interface RecoveryResult {
  /** How many failed deliveries are now due for a manual attempt. */
  recovered: number;
  /** True when more were eligible than one call re-sends; calling again goes on with the rest. */
  capped: boolean;
  maxPerCall: number;
}

@CommandHandler(RecoverDeliveriesCommand)
export class RecoverDeliveriesHandler implements ICommandHandler<
  RecoverDeliveriesCommand,
  RecoveryResult
> {
  private readonly logger = new Logger('Deliveries');

  constructor(
    private readonly webhooks: LiveWebhooks,
    private readonly queue: DeliveryQueueRepository,
    private readonly history: DeliveryHistoryRepository,
    private readonly requeuer: DeliveryRequeuer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ webhookId, since, actor }: RecoverDeliveriesCommand): Promise<RecoveryResult> {
    await this.webhooks.get(webhookId);
    const now = this.clock.now();
    // A failed record with a queue entry is being re-sent already (its queue entry is its current
    // state), so it is skipped. That also makes a capped recovery resumable: the same call again
    // skips what the previous one queued and goes on with the rest.
    const queued = await this.queue.queuedForWebhook(webhookId);
    let recovered = 0;
    let capped = false;
    let batch: DeliveryHistoryDocument[] = [];
    const flush = async () => {
      await Promise.all(batch.map((record) => this.requeuer.resend(record, now)));
      recovered += batch.length;
      batch = [];
    };
    for await (const record of this.history.failedSince(webhookId, since)) {
      if (queued.has(record._id)) continue;
      if (recovered + batch.length >= MAX_RECOVERED_PER_CALL) {
        capped = true;
        break;
      }
      batch.push(record);
      if (batch.length >= CONCURRENT_RESENDS) await flush();
    }
    await flush();
    this.logger.log(
      `recovery of webhook ${webhookId} since ${since.toISOString()} requested by ${actor}: ` +
        `${recovered} failed deliveries re-sent${capped ? ' (capped; more remain)' : ''}`,
    );
    return { recovered, capped, maxPerCall: MAX_RECOVERED_PER_CALL };
  }
}
