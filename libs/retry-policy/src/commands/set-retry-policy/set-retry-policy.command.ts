import type { RequestMetadata } from '@app/platform';
import type { RetryPolicy } from '../../domain/retry-policy';

export class SetRetryPolicyCommand {
  constructor(
    readonly policy: RetryPolicy,
    readonly request: RequestMetadata,
    /** From `If-Match`: the version the caller edited; undefined for none. */
    readonly expectedVersion?: number,
  ) {}
}
