import type { Consistency } from '../../application/consistency';
import type { RequestMetadata } from '@app/platform';

export interface CreateWebhookInput {
  name: string;
  url: string;
  environment: string;
  eventTypes: string[];
  description?: string | null;
  active?: boolean;
  secret?: string;
  /** `symmetric` (a `whsec_` secret, the default) or `asymmetric` (a generated ed25519 key pair). */
  signatureScheme?: 'symmetric' | 'asymmetric';
  /** Its own delivery settings (DeliverySettingsInput); absent ones are the defaults. */
  retryPolicy?: { retryIntervalsSeconds: number[]; jitter: number } | null;
  rateLimitPerSecond?: number | null;
  headers?: Record<string, string>;
}

export class CreateWebhookCommand {
  constructor(
    readonly input: CreateWebhookInput,
    readonly request: RequestMetadata,
    readonly consistency: Consistency = 'eventual',
    /** The request's Idempotency-Key scope, when it has one: the webhook's id derives from it. */
    readonly idempotencyScope?: string,
  ) {}
}
