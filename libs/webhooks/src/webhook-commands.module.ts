import { Module, type OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { UpcasterRegistry } from '@app/event-store';
import { WebhookCommandExecutor } from './application/webhook-command.executor';
import { WebhookRepository } from './application/webhook-repository';
import { PauseWebhookHandler } from './commands/pause-webhook/pause-webhook.handler';
import { registerWebhookUpcasters } from './domain/webhook.upcasters';

/**
 * The webhook commands the worker issues on its own (pausing a failing endpoint), without the
 * api's controllers and list view: the history of the webhook then shows why it stopped.
 */
@Module({
  imports: [CqrsModule],
  providers: [WebhookRepository, WebhookCommandExecutor, PauseWebhookHandler],
})
export class WebhookCommandsModule implements OnModuleInit {
  constructor(private readonly upcasters: UpcasterRegistry) {}

  /** The worker reads webhook events (its subscription index, these commands): same shapes. */
  onModuleInit(): void {
    registerWebhookUpcasters(this.upcasters);
  }
}
