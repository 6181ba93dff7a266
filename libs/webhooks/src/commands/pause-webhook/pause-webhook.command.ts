import type { RequestMetadata } from '@app/platform';
import type { Environment } from '../../domain/event-catalogue';
import type { PauseKind } from '../../domain/webhook.events';

/**
 * The delivery side takes a webhook out of service on its own (its endpoint answered 410 Gone, or
 * every attempt failed for too long). Recorded as a deactivation with reason `automatic`, the
 * detail in words and the rule's `kind`, so the webhook's history says why it stopped receiving
 * events.
 */
export class PauseWebhookCommand {
  constructor(
    readonly webhookId: string,
    readonly kind: PauseKind,
    readonly detail: string,
    readonly request: RequestMetadata,
  ) {}
}

/** An automatic pause that keeps a webhook inactive: what `webhook.paused` tells subscribers. */
export interface WebhookPause {
  webhook: { id: string; name: string; url: string; environment: Environment };
  kind: PauseKind;
  /** In words, as recorded. */
  reason: string;
  /** When the pause was recorded (the event's commit time). */
  pausedAt: Date;
  /** The stream version of the deactivation: with the webhook id, it names this pause for good. */
  version: number;
}

export interface PauseOutcome {
  /** Whether this command paused it (false: it was inactive already, or deleted). */
  changed: boolean;
  /**
   * The automatic pause the webhook is in after the command, this one or an earlier one (a repeated
   * pause, e.g. after a crash, finds the first); null when it is not paused automatically (an
   * admin deactivated it, or it was deleted).
   */
  pause: WebhookPause | null;
}
