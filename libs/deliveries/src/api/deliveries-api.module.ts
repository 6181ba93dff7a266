import { Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DeliveryReader } from './application/delivery-reader';
import { AttemptRequests } from './application/attempt-requests';
import { LiveWebhooks } from './application/live-webhooks';
import { RecoverDeliveriesHandler } from './commands/recover-deliveries/recover-deliveries.handler';
import { RecoverDeliveriesHttp } from './commands/recover-deliveries/recover-deliveries.http';
import { RetryDeliveryHandler } from './commands/retry-delivery/retry-delivery.handler';
import { RetryDeliveryHttp } from './commands/retry-delivery/retry-delivery.http';
import { SendTestEventHandler } from './commands/send-test-event/send-test-event.handler';
import { SendTestEventHttp } from './commands/send-test-event/send-test-event.http';
import { registerDeliveryProblems } from './delivery-problems';
import { DeliveryQueueRepository } from './delivery-queue.repository';
import { DeliveryRepository } from './delivery.repository';
import { GetDeliveryHandler } from './queries/get-delivery/get-delivery.handler';
import { GetDeliveryHttp } from './queries/get-delivery/get-delivery.http';
import { GetDeliverySettingsHttp } from './queries/get-delivery-settings/get-delivery-settings.http';
import { ListDeliveriesHandler } from './queries/list-deliveries/list-deliveries.handler';
import { ListDeliveriesHttp } from './queries/list-deliveries/list-deliveries.http';

/**
 * The deliveries admin API: reads of what the workers recorded, and requested attempts (retry,
 * recover, test), which only insert queue entries; the worker makes every attempt. Needs the webhooks'
 * queries on the same QueryBus (WebhooksModule in the same app) for recover and test.
 */
@Module({
  imports: [CqrsModule],
  controllers: [
    ListDeliveriesHttp,
    GetDeliveryHttp,
    RetryDeliveryHttp,
    RecoverDeliveriesHttp,
    SendTestEventHttp,
    GetDeliverySettingsHttp,
  ],
  providers: [
    DeliveryQueueRepository,
    DeliveryRepository,
    DeliveryReader,
    AttemptRequests,
    LiveWebhooks,
    ListDeliveriesHandler,
    GetDeliveryHandler,
    RetryDeliveryHandler,
    RecoverDeliveriesHandler,
    SendTestEventHandler,
  ],
})
export class DeliveriesApiModule implements OnModuleInit, OnModuleDestroy {
  private unregisterProblems?: () => void;

  onModuleInit(): void {
    this.unregisterProblems = registerDeliveryProblems();
  }

  onModuleDestroy(): void {
    this.unregisterProblems?.();
  }
}
