import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { EventStoreModule } from '@app/event-store';
import { DatabaseModule, HealthModule, KafkaModule } from '@app/platform';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';

/** Consumes platform events and delivers webhooks; serves its own /health for orchestrators. */
@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    KafkaModule,
    EventStoreModule.forRoot(),
    HealthModule,
    SubscriptionsModule,
  ],
})
export class WorkerModule {}
