import { Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ProjectionHost } from '@app/event-store';
import { WebhookActivityLog } from './activity/webhook-activity-log';
import { WebhookCommandExecutor } from './application/webhook-command.executor';
import { WebhookDirectoryHost } from './application/webhook-directory.host';
import { WebhookDirectoryReadiness } from './application/webhook-directory.readiness';
import { WebhookReader } from './application/webhook-reader';
import { WebhookRepository } from './application/webhook-repository';
import { CreateWebhookHandler } from './commands/create-webhook/create-webhook.handler';
import { CreateWebhookHttp } from './commands/create-webhook/create-webhook.http';
import { DeleteWebhookHandler } from './commands/delete-webhook/delete-webhook.handler';
import { DeleteWebhookHttp } from './commands/delete-webhook/delete-webhook.http';
import { RotateSecretHandler } from './commands/rotate-secret/rotate-secret.handler';
import { RotateSecretHttp } from './commands/rotate-secret/rotate-secret.http';
import { SetWebhookStatusHandler } from './commands/set-webhook-status/set-webhook-status.handler';
import { SetWebhookStatusHttp } from './commands/set-webhook-status/set-webhook-status.http';
import { UpdateWebhookHandler } from './commands/update-webhook/update-webhook.handler';
import { UpdateWebhookHttp } from './commands/update-webhook/update-webhook.http';
import { WebhookQueriesHttp } from './queries/webhook-queries.http';
import { WEBHOOK_QUERY_HANDLERS } from './queries/webhook.queries';
import { registerDurableProjections } from './read-models/projections.registry';
import { WebhookSecretsModule } from './secrets/webhook-secrets.module';
import { registerWebhookProblems } from './webhook-problems';

/**
 * Webhook management for the api: commands through the CommandBus, reads through the QueryBus
 * (lists and details from the in-memory webhook directory), and the durable read models of the
 * projection registry (DURABLE_PROJECTIONS: the `rm_webhooks` list, for tools that read the
 * collection and for rebuilds) kept by projections running in this app. The event types' upcasters
 * are not registered here: the app gives every aggregate's (EVENT_UPCASTERS) to
 * EventStoreModule.forRoot.
 */
@Module({
  imports: [CqrsModule, WebhookSecretsModule],
  controllers: [
    CreateWebhookHttp,
    WebhookQueriesHttp,
    UpdateWebhookHttp,
    SetWebhookStatusHttp,
    RotateSecretHttp,
    DeleteWebhookHttp,
  ],
  providers: [
    WebhookRepository,
    WebhookCommandExecutor,
    WebhookDirectoryHost,
    WebhookDirectoryReadiness,
    WebhookReader,
    WebhookActivityLog,
    CreateWebhookHandler,
    UpdateWebhookHandler,
    SetWebhookStatusHandler,
    RotateSecretHandler,
    DeleteWebhookHandler,
    ...WEBHOOK_QUERY_HANDLERS,
  ],
  exports: [WebhookDirectoryReadiness],
})
export class WebhooksModule implements OnModuleInit, OnModuleDestroy {
  private unregisterProblems?: () => void;

  constructor(private readonly projections: ProjectionHost) {}

  onModuleInit(): void {
    // Registered now, started by the host once the app has booted.
    registerDurableProjections(this.projections);
    this.unregisterProblems = registerWebhookProblems();
  }

  onModuleDestroy(): void {
    this.unregisterProblems?.();
  }
}
