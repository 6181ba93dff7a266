import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { EventStoreModule } from '@app/event-store';
import {
  CryptoModule,
  DatabaseModule,
  HealthModule,
  KafkaModule,
  MetricsModule,
} from '@app/platform';
import { DeliveryIntake } from '@app/deliveries';
import { PlatformEventsModule } from '@app/platform-events';
import { DeliveryModule } from './delivery/delivery.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';

/** Consumes platform events and delivers webhooks; serves its own /health for orchestrators. */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    KafkaModule,
    EventStoreModule.forRoot(),
    CryptoModule,
    HealthModule,
    MetricsModule,
    SubscriptionsModule,
    DeliveryModule,
    PlatformEventsModule.forSink({ imports: [DeliveryModule], sink: DeliveryIntake }),
  ],
})
export class WorkerModule {}
