import type { Webhook } from '../api/types';

/**
 * An automatic pause as the webhook view carries it (`pause`: non-null while the worker has paused
 * the webhook because its endpoint answered 410 Gone, or every attempt failed for
 * DELIVERY_DISABLE_AFTER_HOURS).
 */
export type WebhookPause = NonNullable<Webhook['pause']>;

/** The pause of an inactive webhook; none for an active or deleted one. */
export function pauseOf(webhook: Webhook): WebhookPause | null {
  return webhook.status === 'inactive' ? (webhook.pause ?? null) : null;
}

/** A short name for the badge; the full reason goes beside it. */
export function pauseLabel(pause: WebhookPause): string {
  switch (pause.kind) {
    case 'gone':
      return 'Paused: endpoint gone';
    case 'failing':
      return 'Paused: failing';
    default:
      return 'Paused automatically';
  }
}
