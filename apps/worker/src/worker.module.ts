import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { EventStoreModule } from '@app/event-store';
import {
  CryptoModule,
  DatabaseHealthIndicator,
  DatabaseModule,
  HealthModule,
  KafkaHealthIndicator,
  KafkaModule,
  LifecycleModule,
  MetricsModule,
} from '@app/platform';
import { DeliveryIntake, DeliveryReadiness } from '@app/deliveries';
import { ConsumerReadiness, PlatformEventsModule } from '@app/platform-events';
import { EVENT_UPCASTERS } from '@app/webhooks';
import { DeliveryModule } from './delivery/delivery.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';

const platformEvents = PlatformEventsModule.forSink({
  imports: [DeliveryModule],
  sink: DeliveryIntake,
});

/**
 * Consumes platform events and delivers webhooks; serves its own /health/live, /health/ready
 * (database, Kafka, the consumer, the delivery engine) and /metrics for orchestrators.
 */
@Module({
  imports: [
    ConfigModule,
    LifecycleModule,
    DatabaseModule,
    KafkaModule,
    EventStoreModule.forRoot({ upcasters: EVENT_UPCASTERS }),
    CryptoModule,
    MetricsModule,
    SubscriptionsModule,
    DeliveryModule,
    platformEvents,
    HealthModule.forRoot({
      indicators: [
        DatabaseHealthIndicator,
        KafkaHealthIndicator,
        ConsumerReadiness,
        DeliveryReadiness,
      ],
      imports: [DeliveryModule, platformEvents],
    }),
  ],
})
export class WorkerModule {}
