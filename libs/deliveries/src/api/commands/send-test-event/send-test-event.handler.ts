import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/event-store';
import { DeliveryReader } from '../../application/delivery-reader';
import type { DeliveryDetail } from '../../application/delivery.view';
import { LiveWebhooks } from '../../application/live-webhooks';
import { testDeliveryEntry, testEventId } from '../../application/queue-entries';
import { DeliveryQueueRepository } from '../../delivery-queue.repository';
import { SendTestEventCommand } from './send-test-event.command';

@CommandHandler(SendTestEventCommand)
export class SendTestEventHandler implements ICommandHandler<SendTestEventCommand, DeliveryDetail> {
  private readonly logger = new Logger('Deliveries');

  constructor(
    private readonly webhooks: LiveWebhooks,
    private readonly queue: DeliveryQueueRepository,
    private readonly reader: DeliveryReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The api only queues the test; the worker signs and sends it like any other delivery. */
  async execute({ webhookId, actor }: SendTestEventCommand): Promise<DeliveryDetail> {
    const webhook = await this.webhooks.get(webhookId);
    const entry = testDeliveryEntry(webhook, testEventId(), this.clock.now());
    // The event id is 96 random bits: a duplicate key here would be a broken random source.
    if (!(await this.queue.insert(entry))) {
      throw new Error(`Test delivery ${entry._id} collided with an existing delivery`);
    }
    this.logger.log(`test event ${entry.eventId} to webhook ${webhookId} requested by ${actor}`);
    return this.reader.get(entry._id);
  }
}
