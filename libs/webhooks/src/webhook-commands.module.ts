import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { WebhookCommandExecutor } from './application/webhook-command.executor';
import { WebhookRepository } from './application/webhook-repository';
import { PauseWebhookHandler } from './commands/pause-webhook/pause-webhook.handler';

/**
 * The webhook commands the worker issues on its own (pausing a failing endpoint), without the
 * api's controllers and list view: the history of the webhook then shows why it stopped.
 */
@Module({
  imports: [CqrsModule],
  providers: [WebhookRepository, WebhookCommandExecutor, PauseWebhookHandler],
})
export class WebhookCommandsModule {}
