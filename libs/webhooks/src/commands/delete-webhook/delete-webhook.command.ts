import type { RequestMetadata } from '../../application/request-metadata';

export class DeleteWebhookCommand {
  constructor(
    readonly webhookId: string,
    readonly request: RequestMetadata,
    readonly expectedVersion?: number,
  ) {}
}
