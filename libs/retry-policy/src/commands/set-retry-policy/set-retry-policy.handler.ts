import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConcurrencyError } from '@app/event-store';
import { RetryPolicyConflictError } from '../../application/retry-policy-conflict.error';
import { RetryPolicyRepository } from '../../application/retry-policy.repository';
import { viewOfRetryPolicy, type RetryPolicyView } from '../../application/retry-policy.view';
import { decideRetryPolicy } from '../../domain/retry-policy.commands';
import { evolveRetryPolicy } from '../../domain/retry-policy.events';
import { SetRetryPolicyCommand } from './set-retry-policy.command';

export interface SetRetryPolicyResult {
  policy: RetryPolicyView;
  changed: boolean;
}

/** Retries of a PUT without If-Match that lost a race to another owner's PUT. */
const UNCONDITIONAL_ATTEMPTS = 3;

/** Load the stream, check If-Match, decide, append at the loaded version (optimistic concurrency). */
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
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.repository.load();
      if (expectedVersion !== undefined && expectedVersion !== loaded.version) {
        throw new RetryPolicyConflictError(expectedVersion, loaded.version);
      }
      const events = decideRetryPolicy({ type: 'SetRetryPolicy', data: policy }, loaded.state);
      if (events.length === 0) return { policy: viewOfRetryPolicy(loaded), changed: false };
      try {
        const result = await this.repository.append(loaded.version, events, request);
        const state = events.reduce(evolveRetryPolicy, loaded.state);
        const lastChange = result.events.at(-1) ?? null;
        return {
          policy: viewOfRetryPolicy({ state, version: result.version, lastChange }),
          changed: true,
        };
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        // With If-Match the caller edited one version: someone else's write in between is a 412.
        if (expectedVersion !== undefined) {
          throw new RetryPolicyConflictError(expectedVersion, error.actualVersion);
        }
        // Without it the caller asked for "set it, whatever it is now": decide again, a few times.
        if (attempt >= UNCONDITIONAL_ATTEMPTS) {
          throw new RetryPolicyConflictError(loaded.version, error.actualVersion);
        }
      }
    }
  }
}
