import type { Consistency } from '../../application/consistency';
import type { RequestMetadata } from '../../application/request-metadata';

export interface CreateWebhookInput {
  name: string;
  url: string;
  environment: string;
  eventTypes: string[];
  description?: string | null;
  active?: boolean;
  secret?: string;
}

export class CreateWebhookCommand {
  constructor(
    readonly input: CreateWebhookInput,
    readonly request: RequestMetadata,
    readonly consistency: Consistency = 'eventual',
  ) {}
}
