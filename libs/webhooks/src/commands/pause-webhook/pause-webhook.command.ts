import type { RequestMetadata } from '@app/platform';

/**
 * The delivery side takes a webhook out of service on its own (its endpoint answered 410 Gone, or
 * every attempt failed for too long). Recorded as a deactivation with reason `automatic` and the
 * detail in words, so the webhook's history says why it stopped receiving events.
 */
export class PauseWebhookCommand {
  constructor(
    readonly webhookId: string,
    readonly detail: string,
    readonly request: RequestMetadata,
  ) {}
}
