import { ReadyLatch, type Projection, type StoredEvent } from '@app/event-store';
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
 * query. Built from the setting's stream by a runner with an in-memory checkpoint
 * (`checkpoint: 'memory'`): every worker replays it from position 0 at boot, then follows owner
 * changes live (within PROJECTION_POLL_INTERVAL_MS of a write by the api).
 *
 * Folds with the domain's own `evolve`. Idempotent: an event whose stream version the state already
 * has is skipped, so a replayed batch changes nothing.
 */
export class RetryPolicyFollower implements Projection {
  readonly name = RETRY_POLICY_PROJECTION;
  // No collectionBase: the read model lives in memory only.

  private state: RetryPolicyState = initialRetryPolicyState;
  private readonly readiness = new ReadyLatch();

  apply(stored: StoredEvent): Promise<void> {
    try {
      this.applyEvent(stored);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

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

  /** True once the follower has caught up with the log the first time since the process started. */
  get ready(): boolean {
    return this.readiness.isOpen;
  }

  /** Called by whoever runs the follower once its runner has caught up the first time. Idempotent. */
  markReady(): void {
    this.readiness.open();
  }

  /** Resolves once the follower is `ready` (at once if it is). Never rejects. */
  whenReady(): Promise<void> {
    return this.readiness.whenOpen();
  }

  private applyEvent(stored: StoredEvent): void {
    if (stored.streamId !== RETRY_POLICY_STREAM_ID || !isRetryPolicyEventType(stored.type)) return;
    // The stream version is the number of events the state has seen: this one was applied already.
    if (stored.version <= this.state.version) return;
    const event = { type: stored.type, data: stored.data } as RetryPolicyEvent;
    this.state = evolveRetryPolicy(this.state, event);
  }
}
