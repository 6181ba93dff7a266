import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
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
  ) {}
}

@QueryHandler(GetWebhookQuery)
export class GetWebhookHandler implements IQueryHandler<GetWebhookQuery, WebhookView> {
  constructor(private readonly reader: WebhookReader) {}
  execute({ webhookId, asOf }: GetWebhookQuery): Promise<WebhookView> {
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

export class RevealSecretQuery {
  constructor(readonly webhookId: string) {}
}

@QueryHandler(RevealSecretQuery)
export class RevealSecretHandler implements IQueryHandler<
  RevealSecretQuery,
  RevealedSecrets & { version: number }
> {
  constructor(private readonly reader: WebhookReader) {}
  execute({ webhookId }: RevealSecretQuery): Promise<RevealedSecrets & { version: number }> {
    return this.reader.revealSecret(webhookId);
  }
}

export const WEBHOOK_QUERY_HANDLERS = [
  ListWebhooksHandler,
  GetWebhookHandler,
  GetWebhookHistoryHandler,
  RevealSecretHandler,
];
