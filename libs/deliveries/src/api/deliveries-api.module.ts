import { Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { WebhookActivityLog } from '@app/webhooks';
import { DeliveryActivity } from './application/delivery-activity';
import { RetryFailedDeliveriesHandler } from './commands/retry-failed-deliveries/retry-failed-deliveries.handler';
import { RetryFailedDeliveriesHttp } from './commands/retry-failed-deliveries/retry-failed-deliveries.http';
import { CountFailedDeliveriesHandler } from './queries/count-failed-deliveries/count-failed-deliveries.handler';
import { PreviewRecoveryHandler } from './queries/preview-recovery/preview-recovery.handler';
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
 * recover, bulk retry, test), which only insert queue entries and record who asked in the
 * webhook's activity stream; the worker makes every attempt. Needs the webhooks'
 * queries on the same QueryBus (WebhooksModule in the same app) for recover and test.
 */
@Module({
  imports: [CqrsModule],
  controllers: [
    ListDeliveriesHttp,
    // Before GetDeliveryHttp and RetryDeliveryHttp: `POST /deliveries/retry` is not a delivery id.
    RetryFailedDeliveriesHttp,
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
    PreviewRecoveryHandler,
    RetryFailedDeliveriesHandler,
    CountFailedDeliveriesHandler,
    // The webhooks' log of their activity streams (it needs only the global EventStore).
    WebhookActivityLog,
    DeliveryActivity,
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
