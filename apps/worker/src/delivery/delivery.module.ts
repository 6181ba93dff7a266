import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AppConfig } from '@app/config';
import {
  ATTEMPT_SENDER,
  AttemptConsequences,
  AttemptRunner,
  DeliveryEngine,
  DeliveryIntake,
  DeliveryMetrics,
  DeliveryPruner,
  DeliveryReadiness,
  EndpointHealth,
  HttpSender,
  RetentionMetrics,
  SigningSecrets,
} from '@app/deliveries';
import { PlatformEventPublisher } from '@app/platform-events';
import { RetryPolicyFollowerModule } from '@app/retry-policy';
import { WebhookCommandsModule, WebhookSecretsModule } from '@app/webhooks';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';

/**
 * The delivery side of the worker: matches platform events to webhooks (SubscriptionsModule), makes
 * and records attempts with the retry policy it follows from the event store, and pauses failing
 * webhooks through their own command (WebhookCommandsModule), announcing pauses and exhausted
 * deliveries as operational platform events; prunes what retention lets go.
 */
@Module({
  imports: [
    CqrsModule,
    SubscriptionsModule,
    RetryPolicyFollowerModule,
    WebhookCommandsModule,
    WebhookSecretsModule,
  ],
  providers: [
    {
      provide: ATTEMPT_SENDER,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => HttpSender.fromConfig(config),
    },
    DeliveryMetrics,
    // The worker's own events (webhook.paused, delivery.failed), to the operational topic.
    PlatformEventPublisher,
    EndpointHealth,
    AttemptConsequences,
    SigningSecrets,
    AttemptRunner,
    DeliveryEngine,
    DeliveryIntake,
    DeliveryReadiness,
    RetentionMetrics,
    DeliveryPruner,
  ],
  exports: [DeliveryIntake, DeliveryEngine, DeliveryReadiness],
})
export class DeliveryModule {}
