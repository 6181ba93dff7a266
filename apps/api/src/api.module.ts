import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { ConfigModule } from '@app/config';
import { EventStoreModule } from '@app/event-store';
import {
  AuthModule,
  CryptoModule,
  DatabaseHealthIndicator,
  DatabaseModule,
  HealthModule,
  IdempotencyModule,
  LifecycleModule,
  MetricsModule,
} from '@app/platform';
import { DeliveriesApiModule } from '@app/deliveries';
import { EventTypesModule } from '@app/platform-events';
import { RetryPolicyModule } from '@app/retry-policy';
import {
  EVENT_UPCASTERS,
  WebhookDirectoryReadYourWritesModule,
  WebhookDirectoryReadiness,
  WebhooksModule,
} from '@app/webhooks';
import { AdminPageModule } from './admin-page/admin-page.module';

@Module({
  imports: [
    ConfigModule,
    LifecycleModule,
    DatabaseModule,
    EventStoreModule.forRoot({ upcasters: EVENT_UPCASTERS }),
    AuthModule,
    CryptoModule,
    // The api never uses Kafka: a broker outage must not take it out of a load balancer. It is
    // ready once its in-memory webhook directory has caught up with the event log.
    HealthModule.forRoot({
      indicators: [DatabaseHealthIndicator, WebhookDirectoryReadiness],
      imports: [WebhooksModule],
    }),
    IdempotencyModule,
    MetricsModule,
    // GET /event-types: the catalogue with each type's data schema and example.
    EventTypesModule,
    WebhooksModule,
    // A webhook command asked to read its write answers once this api's directory shows it.
    WebhookDirectoryReadYourWritesModule,
    RetryPolicyModule,
    // GET /audit, from the audit projection the webhooks' registry hosts.
    AuditModule,
    DeliveriesApiModule,
    AdminPageModule,
  ],
})
export class ApiModule {}
