export * from './domain';
export * from './webhooks.module';
export * from './read-models/webhook-list.projection';
export * from './webhook-commands.module';
export * from './secrets/webhook-secrets.module';
export * from './secrets/webhook-secret-store';
export * from './secrets/secrets-reencryption';
export * from './secrets/signing-keys';
export {
  WebhookSecrets,
  SecretNotStoredError,
  type RevealedSecrets,
} from './application/webhook-secrets';
export { WebhookRepository, type LoadedWebhook } from './application/webhook-repository';
export * from './commands/pause-webhook/pause-webhook.command';
export * from './read-models/subscription-index';
export { WebhookDirectoryReadiness } from './application/webhook-directory.readiness';
export type { WebhookView } from './application/webhook.view';
export { GetWebhookQuery } from './queries/webhook.queries';
export * from './read-models/projections.registry';
export { listWebhooks } from './read-models/webhook-list.query';
export { webhookStreamId, webhookActivityStreamId } from './application/webhook-stream';
export { WebhookActivityLog } from './activity/webhook-activity-log';
export * from './activity/webhook-activity.events';
export { historyDetails } from './application/webhook-history';
export { describeWebhookEventForAudit } from './activity/webhook-audit';
