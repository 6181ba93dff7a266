import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/event-store';
import { AttemptRequests } from '../../application/attempt-requests';
import { DeliveryActivity } from '../../application/delivery-activity';
import { DeliveryReader } from '../../application/delivery-reader';
import type { DeliveryDetail } from '../../application/delivery.view';
import { LiveWebhooks } from '../../application/live-webhooks';
import { SendTestEventCommand } from './send-test-event.command';

@CommandHandler(SendTestEventCommand)
export class SendTestEventHandler implements ICommandHandler<SendTestEventCommand, DeliveryDetail> {
  private readonly logger = new Logger('Deliveries');

  constructor(
    private readonly webhooks: LiveWebhooks,
    private readonly requests: AttemptRequests,
    private readonly reader: DeliveryReader,
    private readonly activity: DeliveryActivity,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The api only queues the test; the worker signs and sends it like any other delivery. */
  async execute({ webhookId, metadata }: SendTestEventCommand): Promise<DeliveryDetail> {
    const { actor } = metadata;
    const webhook = await this.webhooks.get(webhookId);
    const test = await this.requests.test(webhook, actor, this.clock.now());
    await this.activity.record(
      { type: 'TestDeliveryRequested', data: { webhookId, deliveryId: test.delivery._id } },
      metadata,
    );
    this.logger.log(`test event ${test.event._id} to webhook ${webhookId} requested by ${actor}`);
    return this.reader.get(test.delivery._id);
  }
}
