export * from './domain';
export * from './webhooks.module';
export * from './read-models/webhook-list.projection';
export * from './webhook-commands.module';
export * from './commands/pause-webhook/pause-webhook.command';
export * from './read-models/subscription-index';
export { WebhookDirectoryReadiness } from './application/webhook-directory.readiness';
export type { WebhookView } from './application/webhook.view';
export { GetWebhookQuery } from './queries/webhook.queries';
