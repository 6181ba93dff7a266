import { DEFAULT_RETRY_POLICY } from './retry-policy';
import { RetryPolicyHistoryError } from './retry-policy.errors';
import {
  evolveRetryPolicy,
  initialRetryPolicyState,
  toNewRetryPolicyEvent,
  type RetryPolicyEvent,
} from './retry-policy.events';

const metadata = { actor: 'user:owner', correlationId: 'c', causationId: 'r' };

describe('evolveRetryPolicy', () => {
  it('starts from the default at version 0', () => {
    expect(initialRetryPolicyState).toEqual({ policy: DEFAULT_RETRY_POLICY, version: 0 });
    expect(DEFAULT_RETRY_POLICY).toEqual({
      retryIntervalsSeconds: [5, 300, 1800, 7200, 18000, 36000, 36000],
      jitter: 0.2,
    });
  });

  it('takes the policy of each RetryPolicySet and counts the version', () => {
    const events: RetryPolicyEvent[] = [
      { type: 'RetryPolicySet', data: { retryIntervalsSeconds: [1, 2], jitter: 0 } },
      { type: 'RetryPolicySet', data: { retryIntervalsSeconds: [60], jitter: 0.5 } },
    ];
    const state = events.reduce(evolveRetryPolicy, initialRetryPolicyState);
    expect(state).toEqual({ policy: { retryIntervalsSeconds: [60], jitter: 0.5 }, version: 2 });
    expect(Object.isFrozen(state.policy)).toBe(true);
    expect(Object.isFrozen(state.policy.retryIntervalsSeconds)).toBe(true);
  });

  it('stops on an event type it does not know', () => {
    const unknown = { type: 'RetryPolicyMelted', data: {} } as unknown as RetryPolicyEvent;
    expect(() => evolveRetryPolicy(initialRetryPolicyState, unknown)).toThrow(
      RetryPolicyHistoryError,
    );
  });

  it('persists RetryPolicySet under its explicit name and schema version 1', () => {
    const event: RetryPolicyEvent = {
      type: 'RetryPolicySet',
      data: { retryIntervalsSeconds: [5], jitter: 0.2 },
    };
    expect(toNewRetryPolicyEvent(event, metadata)).toEqual({
      type: 'RetryPolicySet',
      data: { retryIntervalsSeconds: [5], jitter: 0.2 },
      schemaVersion: 1,
      metadata,
    });
  });
});
