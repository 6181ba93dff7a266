import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@app/event-store';
import { WebhookNotFoundError } from '../domain/webhook.errors';
import type { ListWebhooksParams } from '../read-models/webhook-list.params';
import { WebhookDirectoryHost } from './webhook-directory.host';
import { historyEntry, type HistoryEntry } from './webhook-history';
import { WebhookRepository } from './webhook-repository';
import { WebhookSecrets, type RevealedSecrets } from './webhook-secrets';
import { viewOfDocument, viewOfState, type WebhookView } from './webhook.view';

export interface WebhookPage {
  items: WebhookView[];
  total: number;
  counts: { active: number; inactive: number };
  nextCursor: string | null;
}

export interface HistoryPage {
  items: HistoryEntry[];
  /** Pass as `after` for the next page; null on the last one. */
  nextAfter: number | null;
}

/**
 * The read side: the api's in-memory webhook directory for lists and details (caught up with the
 * log's head first), the webhook's own event stream for history, as-of and the secret.
 */
@Injectable()
export class WebhookReader {
  constructor(
    private readonly directory: WebhookDirectoryHost,
    private readonly repository: WebhookRepository,
    private readonly secrets: WebhookSecrets,
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
    return viewOfState(state, {
      createdAt: events[0].recordedAt,
      updatedAt: events[events.length - 1].recordedAt,
    });
  }

  /** O(this webhook's events): its stream, read by `streamId` equality. */
  async history(webhookId: string, after = 0, limit = 50): Promise<HistoryPage> {
    const { events } = await this.repository.load(webhookId);
    if (events.length === 0) throw new WebhookNotFoundError(webhookId);
    const page = events.filter((event) => event.version > after).slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(historyEntry),
      nextAfter: last && last.version < events[events.length - 1].version ? last.version : null,
    };
  }

  async revealSecret(webhookId: string): Promise<RevealedSecrets & { version: number }> {
    const { state, version } = await this.repository.load(webhookId);
    if (state.status === 'none' || state.status === 'deleted') {
      throw new WebhookNotFoundError(webhookId);
    }
    return { ...(await this.secrets.reveal(state, this.clock.now())), version };
  }
}
