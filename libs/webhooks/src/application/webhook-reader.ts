import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, ProjectionHost, type Clock } from '@app/event-store';
import type { Collection, Document } from 'mongodb';
import { WebhookNotFoundError } from '../domain/webhook.errors';
import type { WebhookListDocument } from '../read-models/webhook-list.document';
import { WEBHOOK_LIST_PROJECTION } from '../read-models/webhook-list.projection';
import { listWebhooks, type ListWebhooksParams } from '../read-models/webhook-list.query';
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

/** The read side: the list view for lists and details, the event stream for history and as-of. */
@Injectable()
export class WebhookReader {
  constructor(
    private readonly projections: ProjectionHost,
    private readonly repository: WebhookRepository,
    private readonly secrets: WebhookSecrets,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(params: ListWebhooksParams): Promise<WebhookPage> {
    const page = await listWebhooks(this.listView(), params);
    return { ...page, items: page.items.map(viewOfDocument) };
  }

  /** Deleted webhooks stay readable (auditors), with status `deleted`. */
  async get(webhookId: string): Promise<WebhookView> {
    const doc = await (this.listView() as unknown as Collection<WebhookListDocument>).findOne({
      _id: webhookId,
    });
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
    return { ...this.secrets.reveal(state, this.clock.now()), version };
  }

  private listView(): Collection<Document> {
    return this.projections.runner(WEBHOOK_LIST_PROJECTION).collection;
  }
}
