import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { RequestMetadata } from '@app/platform';
import type { RevealedSecrets } from '../application/webhook-secrets';
import { WebhookReader, type HistoryPage, type WebhookPage } from '../application/webhook-reader';
import type { WebhookView } from '../application/webhook.view';
import type { ListWebhooksParams } from '../read-models/webhook-list.query';

// The read use cases are thin: each asks the WebhookReader one question.

export class ListWebhooksQuery {
  constructor(readonly params: ListWebhooksParams) {}
}

@QueryHandler(ListWebhooksQuery)
export class ListWebhooksHandler implements IQueryHandler<ListWebhooksQuery, WebhookPage> {
  constructor(private readonly reader: WebhookReader) {}
  execute({ params }: ListWebhooksQuery): Promise<WebhookPage> {
    return this.reader.list(params);
  }
}

export class GetWebhookQuery {
  constructor(
    readonly webhookId: string,
    readonly asOf?: Date,
    /** The webhook at this stream version (exclusive with `asOf`). */
    readonly version?: number,
  ) {}
}

@QueryHandler(GetWebhookQuery)
export class GetWebhookHandler implements IQueryHandler<GetWebhookQuery, WebhookView> {
  constructor(private readonly reader: WebhookReader) {}
  execute({ webhookId, asOf, version }: GetWebhookQuery): Promise<WebhookView> {
    if (version !== undefined) return this.reader.getAtVersion(webhookId, version);
    return asOf ? this.reader.getAsOf(webhookId, asOf) : this.reader.get(webhookId);
  }
}

export class GetWebhookHistoryQuery {
  constructor(
    readonly webhookId: string,
    readonly after: number,
    readonly limit: number,
  ) {}
}

@QueryHandler(GetWebhookHistoryQuery)
export class GetWebhookHistoryHandler implements IQueryHandler<
  GetWebhookHistoryQuery,
  HistoryPage
> {
  constructor(private readonly reader: WebhookReader) {}
  execute({ webhookId, after, limit }: GetWebhookHistoryQuery): Promise<HistoryPage> {
    return this.reader.history(webhookId, after, limit);
  }
}

/** A read that records itself: the reveal is appended to the webhook's activity (who, when). */
export class RevealSecretQuery {
  constructor(
    readonly webhookId: string,
    readonly request: RequestMetadata,
  ) {}
}

@QueryHandler(RevealSecretQuery)
export class RevealSecretHandler implements IQueryHandler<
  RevealSecretQuery,
  RevealedSecrets & { version: number }
> {
  constructor(private readonly reader: WebhookReader) {}
  execute({
    webhookId,
    request,
  }: RevealSecretQuery): Promise<RevealedSecrets & { version: number }> {
    return this.reader.revealSecret(webhookId, request);
  }
}

export const WEBHOOK_QUERY_HANDLERS = [
  ListWebhooksHandler,
  GetWebhookHandler,
  GetWebhookHistoryHandler,
  RevealSecretHandler,
];
