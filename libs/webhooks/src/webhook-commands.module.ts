import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { UpcasterRegistry } from '@app/event-store';
import { READ_YOUR_WRITES } from './application/consistency';
import { WebhookCommandExecutor } from './application/webhook-command.executor';
import { WebhookDirectoryReadYourWrites } from './application/webhook-directory.read-your-writes';
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

/**
 * Read-your-writes for the api: a webhook command asked for it waits until the api's webhook
 * directory (its lists and details) shows the write. Imported by the api only, so the worker's
 * commands answer once committed. Global because the commands' executor is provided inside
 * WebhooksModule, which cannot see a provider of the app module otherwise.
 */
@Global()
@Module({
  providers: [{ provide: READ_YOUR_WRITES, useClass: WebhookDirectoryReadYourWrites }],
  exports: [READ_YOUR_WRITES],
})
export class WebhookDirectoryReadYourWritesModule {}
