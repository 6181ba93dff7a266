import type { WebhookView } from '../application/webhook.view';

/** What a webhook command returns to its HTTP adapter. */
export interface WebhookCommandResult {
  webhook: WebhookView;
  changed: boolean;
}
