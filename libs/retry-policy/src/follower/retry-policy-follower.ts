import { InMemoryProjection, type StoredEvent } from '@app/event-store';
import { RETRY_POLICY_STREAM_ID } from '../application/retry-policy-stream';
import type { RetryPolicy } from '../domain/retry-policy';
import {
  evolveRetryPolicy,
  initialRetryPolicyState,
  isRetryPolicyEventType,
  type RetryPolicyEvent,
  type RetryPolicyState,
} from '../domain/retry-policy.events';

export const RETRY_POLICY_PROJECTION = 'retry-policy';

/**
 * The retry policy in force, held in process memory so that scheduling a retry costs no database
 * query (an InMemoryProjection: every worker replays the setting's stream from position 0 at boot,
 * then follows owner changes live, within PROJECTION_POLL_INTERVAL_MS of a write by the api).
 *
 * Folds with the domain's own `evolve`. Idempotent: an event whose stream version the state already
 * has is skipped, so a replayed batch changes nothing.
 */
export class RetryPolicyFollower extends InMemoryProjection {
  readonly name = RETRY_POLICY_PROJECTION;

  private state: RetryPolicyState = initialRetryPolicyState;

  /**
   * The policy to schedule with: the default until a RetryPolicySet is seen. Frozen, as it is shared
   * by every caller. Before `ready` it may be an older policy than the one set.
   */
  current(): RetryPolicy {
    return this.state.policy;
  }

  /** The setting's stream version this follower reflects (0: the default). */
  get version(): number {
    return this.state.version;
  }

  protected follow(stored: StoredEvent): void {
    if (stored.streamId !== RETRY_POLICY_STREAM_ID || !isRetryPolicyEventType(stored.type)) return;
    if (this.alreadyFolded(stored, this.state.version)) return;
    const event = { type: stored.type, data: stored.data } as RetryPolicyEvent;
    this.state = evolveRetryPolicy(this.state, event);
  }
}
