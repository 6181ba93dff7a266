import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { WebhookNotFoundError } from '@app/webhooks';
import { GetWebhookQuery, type WebhookView } from '@app/webhooks';

/**
 * The webhooks a manual send may target, asked through the QueryBus so this library depends on the
 * webhooks' public query, not on their storage. Deleted webhooks count as absent, as for every
 * write to a webhook; inactive ones may still be tested and recovered.
 */
@Injectable()
export class LiveWebhooks {
  constructor(private readonly queries: QueryBus) {}

  /** The webhook; WebhookNotFoundError (404 `webhook-not-found`) when unknown or deleted. */
  async get(webhookId: string): Promise<WebhookView> {
    const webhook = await this.queries.execute<GetWebhookQuery, WebhookView>(
      new GetWebhookQuery(webhookId),
    );
    if (webhook.status === 'deleted') throw new WebhookNotFoundError(webhookId);
    return webhook;
  }
}
