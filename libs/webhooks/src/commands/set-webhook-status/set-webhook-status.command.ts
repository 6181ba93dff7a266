import type { Consistency } from '../../application/consistency';
import type { RequestMetadata } from '@app/platform';

/** The admin's Active toggle: activate or deactivate (an automatic pause uses its own reason). */
export class SetWebhookStatusCommand {
  constructor(
    readonly webhookId: string,
    readonly active: boolean,
    readonly request: RequestMetadata,
    readonly expectedVersion?: number,
    readonly consistency: Consistency = 'eventual',
  ) {}
}
