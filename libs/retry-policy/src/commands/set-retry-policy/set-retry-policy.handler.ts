import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RetryPolicyConflictError } from '../../application/retry-policy-conflict.error';
import { RetryPolicyRepository, retryPolicyOf } from '../../application/retry-policy.repository';
import { viewOfRetryPolicy, type RetryPolicyView } from '../../application/retry-policy.view';
import { SetRetryPolicyCommand } from './set-retry-policy.command';

export interface SetRetryPolicyResult {
  policy: RetryPolicyView;
  changed: boolean;
}

/**
 * Sets the policy through the event store's decider command handler: a stale If-Match, or another
 * owner's PUT winning the race (with If-Match at once, without it after a few attempts), is a 412.
 */
@CommandHandler(SetRetryPolicyCommand)
export class SetRetryPolicyHandler implements ICommandHandler<
  SetRetryPolicyCommand,
  SetRetryPolicyResult
> {
  constructor(private readonly repository: RetryPolicyRepository) {}

  async execute({
    policy,
    request,
    expectedVersion,
  }: SetRetryPolicyCommand): Promise<SetRetryPolicyResult> {
    const result = await this.repository.handle(
      { type: 'SetRetryPolicy', data: policy },
      {
        metadata: request,
        expectedVersion,
        context: () => undefined,
        // In the retry policy's terms, never the store's ConcurrencyError (see the error's comment).
        onVersionMismatch: (mismatch) =>
          new RetryPolicyConflictError(mismatch.expectedVersion, mismatch.actualVersion),
      },
    );
    return { policy: viewOfRetryPolicy(retryPolicyOf(result)), changed: result.changed };
  }
}
