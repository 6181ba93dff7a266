import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { StoredEvent } from '@app/event-store';
import { WebhookCommandExecutor } from '../../application/webhook-command.executor';
import { WebhookRepository } from '../../application/webhook-repository';
import { WebhookNotFoundError } from '../../domain/webhook.errors';
import type { ExistingWebhook } from '../../domain/webhook.events';
import { PauseWebhookCommand, type PauseOutcome, type WebhookPause } from './pause-webhook.command';

/**
 * Resolves to whether the webhook changed and the automatic pause it is in: unchanged when it was
 * already inactive, or deleted meanwhile (nothing left to pause, which is not the delivery side's
 * error). A repeated pause of an automatically paused webhook answers that pause again, so that
 * whoever announces pauses can announce it again, under the same id, after a crash.
 */
@CommandHandler(PauseWebhookCommand)
export class PauseWebhookHandler implements ICommandHandler<PauseWebhookCommand, PauseOutcome> {
  constructor(
    private readonly executor: WebhookCommandExecutor,
    private readonly repository: WebhookRepository,
  ) {}

  async execute(command: PauseWebhookCommand): Promise<PauseOutcome> {
    try {
      const { changed, webhook, view, version } = await this.executor.execute(
        {
          type: 'DeactivateWebhook',
          data: {
            id: command.webhookId,
            reason: 'automatic',
            detail: command.detail,
            kind: command.kind,
          },
        },
        command.request,
      );
      if (!view.pause) return { changed, pause: null };
      if (changed) return { changed, pause: pauseOf(webhook, view.pause, version) };
      // Paused before (by this very step, cut short, or another worker): that pause's version.
      const { events } = await this.repository.load(command.webhookId);
      const deactivation = lastDeactivation(events);
      return {
        changed,
        pause: deactivation ? pauseOf(webhook, view.pause, deactivation.version) : null,
      };
    } catch (error) {
      if (error instanceof WebhookNotFoundError) return { changed: false, pause: null };
      throw error;
    }
  }
}

function pauseOf(
  webhook: ExistingWebhook,
  pause: { reason: string; kind: WebhookPause['kind']; at: string },
  version: number,
): WebhookPause {
  return {
    webhook: {
      id: webhook.id,
      name: webhook.name,
      url: webhook.url,
      environment: webhook.environment,
    },
    kind: pause.kind,
    reason: pause.reason,
    pausedAt: new Date(pause.at),
    version,
  };
}

function lastDeactivation(events: readonly StoredEvent[]): StoredEvent | undefined {
  let last: StoredEvent | undefined;
  for (const event of events) if (event.type === 'WebhookDeactivated') last = event;
  return last;
}
