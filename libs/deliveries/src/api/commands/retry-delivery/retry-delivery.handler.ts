import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/event-store';
import { AttemptRequests } from '../../application/attempt-requests';
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
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ deliveryId, actor }: RetryDeliveryCommand): Promise<DeliveryDetail> {
    if (!(await this.requests.attemptNow(deliveryId, actor, this.clock.now()))) {
      throw new DeliveryNotFoundError(deliveryId);
    }
    this.logger.log(`manual retry of ${deliveryId} requested by ${actor}`);
    return this.reader.get(deliveryId);
  }
}
