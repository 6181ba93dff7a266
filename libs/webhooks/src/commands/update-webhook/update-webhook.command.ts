import type { Consistency } from '../../application/consistency';
import type { RequestMetadata } from '@app/platform';
import type { DeliverySettingsInput } from '../../domain/delivery-settings';
import type { WebhookFieldsInput } from '../../domain/webhook.rules';

export class UpdateWebhookCommand {
  constructor(
    readonly webhookId: string,
    /**
     * Absent fields stay as they are; `description: null` clears it. The delivery settings alike
     * (`retryPolicy: null` back to the default, `rateLimitPerSecond: null` no cap, `headers` whole).
     */
    readonly changes: Partial<WebhookFieldsInput> & DeliverySettingsInput,
    readonly request: RequestMetadata,
    /** From `If-Match`: the version the caller edited; undefined for none. */
    readonly expectedVersion?: number,
    readonly consistency: Consistency = 'eventual',
  ) {}
}
