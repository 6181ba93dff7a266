import type { Consistency } from '../../application/consistency';
import type { RequestMetadata } from '@app/platform';

export class DeleteWebhookCommand {
  constructor(
    readonly webhookId: string,
    readonly request: RequestMetadata,
    readonly expectedVersion?: number,
    readonly consistency: Consistency = 'eventual',
  ) {}
}
