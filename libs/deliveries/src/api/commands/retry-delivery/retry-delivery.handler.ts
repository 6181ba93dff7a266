import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/event-store';
import { AttemptRequests } from '../../application/attempt-requests';
import { DeliveryActivity } from '../../application/delivery-activity';
import { DeliveryReader } from '../../application/delivery-reader';
import type { DeliveryDetail } from '../../application/delivery.view';
import { DeliveryNotFoundError } from '../../delivery-api.errors';
import { RetryDeliveryCommand } from './retry-delivery.command';

@CommandHandler(RetryDeliveryCommand)
export class RetryDeliveryHandler implements ICommandHandler<RetryDeliveryCommand, DeliveryDetail> {
  private readonly logger = new Logger('Deliveries');

  constructor(
    private readonly requests: AttemptRequests,
    private readonly reader: DeliveryReader,
    private readonly activity: DeliveryActivity,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ deliveryId, metadata }: RetryDeliveryCommand): Promise<DeliveryDetail> {
    const { actor } = metadata;
    const summary = await this.requests.attemptNow(deliveryId, actor, this.clock.now());
    if (!summary) throw new DeliveryNotFoundError(deliveryId);
    await this.activity.record(
      { type: 'DeliveryRetryRequested', data: { webhookId: summary.webhookId, deliveryId } },
      metadata,
    );
    this.logger.log(`manual retry of ${deliveryId} requested by ${actor}`);
    return this.reader.get(deliveryId);
  }
}
