import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { READ_YOUR_WRITES } from './application/consistency';
import { WebhookCommandExecutor } from './application/webhook-command.executor';
import { WebhookDirectoryReadYourWrites } from './application/webhook-directory.read-your-writes';
import { WebhookRepository } from './application/webhook-repository';
import { PauseWebhookHandler } from './commands/pause-webhook/pause-webhook.handler';

/**
 * The webhook commands the worker issues on its own (pausing a failing endpoint), without the
 * api's controllers and list view: the history of the webhook then shows why it stopped. The
 * upcasters are not registered here: they are the app's (EVENT_UPCASTERS, given to
 * EventStoreModule.forRoot).
 */
@Module({
  imports: [CqrsModule],
  providers: [WebhookRepository, WebhookCommandExecutor, PauseWebhookHandler],
})
export class WebhookCommandsModule {}

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
