import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/event-store';
import { DeliveryReader } from '../../application/delivery-reader';
import { DeliveryRequeuer } from '../../application/delivery-requeuer';
import type { DeliveryDetail } from '../../application/delivery.view';
import { DeliveryNotFoundError } from '../../delivery-api.errors';
import { RetryDeliveryCommand } from './retry-delivery.command';

@CommandHandler(RetryDeliveryCommand)
export class RetryDeliveryHandler implements ICommandHandler<RetryDeliveryCommand, DeliveryDetail> {
  private readonly logger = new Logger('Deliveries');

  constructor(
    private readonly requeuer: DeliveryRequeuer,
    private readonly reader: DeliveryReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ deliveryId, actor }: RetryDeliveryCommand): Promise<DeliveryDetail> {
    if (!(await this.requeuer.attemptNow(deliveryId, this.clock.now()))) {
      throw new DeliveryNotFoundError(deliveryId);
    }
    this.logger.log(`manual retry of ${deliveryId} requested by ${actor}`);
    return this.reader.get(deliveryId);
  }
}
