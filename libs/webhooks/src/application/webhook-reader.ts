import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, EventStore, type Clock } from '@app/event-store';
import type { RequestMetadata } from '@app/platform';
import { WebhookActivityLog } from '../activity/webhook-activity-log';
import { toNewActivityEvent } from '../activity/webhook-activity.events';
import { WebhookNotFoundError } from '../domain/webhook.errors';
import type { ListWebhooksParams } from '../read-models/webhook-list.params';
import { WebhookDirectoryHost } from './webhook-directory.host';
import { historyPage, type HistoryEntry } from './webhook-history';
import { WebhookRepository } from './webhook-repository';
import { WebhookSecrets, type RevealedSecrets } from './webhook-secrets';
import { webhookActivityStreamId } from './webhook-stream';
import { timesOfStream, viewOfDocument, viewOfState, type WebhookView } from './webhook.view';

export interface WebhookPage {
  items: WebhookView[];
  total: number;
  counts: { active: number; inactive: number };
  nextCursor: string | null;
}

export interface HistoryPage {
  items: HistoryEntry[];
  /** Pass as `after` for the next page (the last entry's position); null on the last one. */
  nextAfter: number | null;
}

/**
 * The read side: the api's in-memory webhook directory for lists and details (caught up with the
 * log's head first), the webhook's own event stream for history, as-of and the secret, and its
 * activity stream for the history's activity entries (and to record a reveal).
 */
@Injectable()
export class WebhookReader {
  constructor(
    private readonly directory: WebhookDirectoryHost,
    private readonly repository: WebhookRepository,
    private readonly secrets: WebhookSecrets,
    private readonly store: EventStore,
    private readonly activity: WebhookActivityLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(params: ListWebhooksParams): Promise<WebhookPage> {
    const page = (await this.directory.current()).list(params);
    return { ...page, items: page.items.map(viewOfDocument) };
  }

  /** Deleted webhooks stay readable (auditors), with status `deleted`. */
  async get(webhookId: string): Promise<WebhookView> {
    const doc = (await this.directory.current()).get(webhookId);
    if (!doc) throw new WebhookNotFoundError(webhookId);
    return viewOfDocument(doc);
  }

  /** The webhook as it was at `asOf`, rebuilt from its events. */
  async getAsOf(webhookId: string, asOf: Date): Promise<WebhookView> {
    const { state, events } = await this.repository.load(webhookId, asOf);
    if (state.status === 'none') throw new WebhookNotFoundError(webhookId);
    return viewOfState(state, timesOfStream(events));
  }

  /**
   * The webhook as it was at its stream version `version` (its first `version` events), which
   * names one state even where several events share a millisecond; 404 past its last version.
   */
  async getAtVersion(webhookId: string, version: number): Promise<WebhookView> {
    const { state, events } = await this.repository.load(webhookId, { toVersion: version });
    if (state.status === 'none' || events.at(-1)?.version !== version) {
      throw new WebhookNotFoundError(webhookId);
    }
    // With the time of its last deactivation: a version paused automatically shows its pause.
    return viewOfState(state, timesOfStream(events));
  }

  /**
   * Its own events and its activity, merged in global order and paged by position (historyPage).
   * O(this webhook's events and activity): both streams are read by `streamId` equality.
   */
  async history(webhookId: string, after = 0, limit = 50): Promise<HistoryPage> {
    const [{ events }, activity] = await Promise.all([
      this.repository.load(webhookId),
      this.store.readStream(webhookActivityStreamId(webhookId)),
    ]);
    if (events.length === 0) throw new WebhookNotFoundError(webhookId);
    return historyPage(events, activity, after, limit);
  }

  /**
   * The secret in full, once the reveal is recorded (SecretRevealed on the activity stream: who and
   * when, never the secret): decrypted first, so a secret that cannot be read records nothing, and
   * recorded before it is returned, so no secret leaves unrecorded (a failed append is a 500).
   */
  async revealSecret(
    webhookId: string,
    request: RequestMetadata,
  ): Promise<RevealedSecrets & { version: number }> {
    const { state, version } = await this.repository.load(webhookId);
    if (state.status === 'none' || state.status === 'deleted') {
      throw new WebhookNotFoundError(webhookId);
    }
    const revealed = await this.secrets.reveal(state, this.clock.now());
    await this.activity.record(webhookId, [
      toNewActivityEvent(
        {
          type: 'SecretRevealed',
          data: {
            webhookId,
            webhookVersion: version,
            signatureScheme: state.signatureScheme,
            previousIncluded: revealed.previous !== null,
          },
        },
        request,
      ),
    ]);
    return { ...revealed, version };
  }
}
