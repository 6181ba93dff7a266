import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { EventStoreModule } from '@app/event-store';
import {
  AuthModule,
  CryptoModule,
  DatabaseModule,
  HealthModule,
  IdempotencyModule,
  KafkaModule,
  MetricsModule,
} from '@app/platform';
import { DeliveriesApiModule, RetryPolicyModule } from '@app/deliveries';
import { WebhooksModule } from '@app/webhooks';
import { AdminPageModule } from './admin-page/admin-page.module';

@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    KafkaModule,
    EventStoreModule.forRoot(),
    AuthModule,
    CryptoModule,
    IdempotencyModule,
    HealthModule,
    MetricsModule,
    WebhooksModule,
    RetryPolicyModule,
    DeliveriesApiModule,
    AdminPageModule,
  ],
})
export class ApiModule {}
