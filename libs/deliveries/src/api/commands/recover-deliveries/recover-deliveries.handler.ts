import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/event-store';
import type { DeliveryDocument } from '../../../storage/delivery.documents';
import { AttemptRequests } from '../../application/attempt-requests';
import { DeliveryActivity } from '../../application/delivery-activity';
import { LiveWebhooks } from '../../application/live-webhooks';
import { DeliveryRepository } from '../../delivery.repository';
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
    private readonly deliveries: DeliveryRepository,
    private readonly requests: AttemptRequests,
    private readonly activity: DeliveryActivity,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ webhookId, since, metadata }: RecoverDeliveriesCommand): Promise<RecoveryResult> {
    const { actor } = metadata;
    await this.webhooks.get(webhookId);
    const now = this.clock.now();
    let recovered = 0;
    let capped = false;
    let batch: DeliveryDocument[] = [];
    // A delivery whose re-send was asked for already is not counted again: calling again after a
    // capped recovery goes on with the rest.
    const flush = async () => {
      const requested = await Promise.all(batch.map((d) => this.requests.resend(d, actor, now)));
      recovered += requested.filter(Boolean).length;
      batch = [];
    };
    for await (const failed of this.deliveries.failedSince(webhookId, since)) {
      if (recovered + batch.length >= MAX_RECOVERED_PER_CALL) {
        capped = true;
        break;
      }
      batch.push(failed);
      if (batch.length >= CONCURRENT_RESENDS) await flush();
    }
    await flush();
    await this.activity.record(
      {
        type: 'DeliveriesRecoveryRequested',
        data: { webhookId, since: since.toISOString(), recovered, capped },
      },
      metadata,
    );
    this.logger.log(
      `recovery of webhook ${webhookId} since ${since.toISOString()} requested by ${actor}: ` +
        `${recovered} failed deliveries re-sent${capped ? ' (capped; more remain)' : ''}`,
    );
    return { recovered, capped, maxPerCall: MAX_RECOVERED_PER_CALL };
  }
}
