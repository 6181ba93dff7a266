import type { Consistency } from '../../application/consistency';
import type { RequestMetadata } from '@app/platform';
import type { WebhookFieldsInput } from '../../domain/webhook.rules';

export class UpdateWebhookCommand {
  constructor(
    readonly webhookId: string,
    /** Absent fields stay as they are; `description: null` clears it. */
    readonly changes: Partial<WebhookFieldsInput>,
    readonly request: RequestMetadata,
    /** From `If-Match`: the version the caller edited; undefined for none. */
    readonly expectedVersion?: number,
    readonly consistency: Consistency = 'eventual',
  ) {}
}
