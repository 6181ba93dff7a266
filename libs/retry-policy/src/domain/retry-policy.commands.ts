import { RETRY_POLICY_LIMITS, sameRetryPolicy, type RetryPolicy } from './retry-policy';
import { RetryPolicyValidationError, type RetryPolicyFieldViolation } from './retry-policy.errors';
import type { RetryPolicyEvent, RetryPolicyState } from './retry-policy.events';

/** Replace the default retry policy as a whole (PUT semantics: both fields are given). */
export interface SetRetryPolicy {
  type: 'SetRetryPolicy';
  data: { retryIntervalsSeconds: readonly number[]; jitter: number };
}

export type RetryPolicyCommand = SetRetryPolicy;

/** The events a command causes on the setting in `state`; none when it would change nothing. */
export function decideRetryPolicy(
  command: RetryPolicyCommand,
  state: RetryPolicyState,
): RetryPolicyEvent[] {
  switch (command.type) {
    case 'SetRetryPolicy': {
      const proposed = validateRetryPolicy(command.data);
      if (sameRetryPolicy(state.policy, proposed)) return [];
      return [{ type: 'RetryPolicySet', data: proposed }];
    }
    default: {
      // Checked on the type, not the command: a one-member union does not narrow to never.
      const unhandled: never = command.type;
      throw new Error(`Unknown retry policy command ${String(unhandled)}`);
    }
  }
}

const { maxIntervals, minIntervalSeconds, maxIntervalSeconds, minJitter, maxJitter } =
  RETRY_POLICY_LIMITS;

/**
 * Checks a proposed policy and returns it as it will be stored (copied), or throws every violation
 * at once. The intervals need not grow: an owner may want, say, a quick second try after a long wait.
 */
export function validateRetryPolicy(input: RetryPolicy): {
  retryIntervalsSeconds: number[];
  jitter: number;
} {
  const violations: RetryPolicyFieldViolation[] = [];
  const intervals = input.retryIntervalsSeconds;
  if (!Array.isArray(intervals)) {
    violations.push({ field: 'retryIntervalsSeconds', message: 'must be a list of seconds' });
  } else {
    if (intervals.length > maxIntervals) {
      violations.push({
        field: 'retryIntervalsSeconds',
        message: `must have at most ${maxIntervals} intervals, has ${intervals.length}`,
      });
    }
    intervals.forEach((seconds: unknown, index) => {
      if (!isIntervalSeconds(seconds)) {
        violations.push({
          field: `retryIntervalsSeconds.${index}`,
          message: `must be a whole number of seconds from ${minIntervalSeconds} to ${maxIntervalSeconds} (7 days)`,
        });
      }
    });
  }
  const jitter: unknown = input.jitter;
  if (typeof jitter !== 'number' || !(jitter >= minJitter && jitter <= maxJitter)) {
    violations.push({
      field: 'jitter',
      message: `must be a number from ${minJitter} to ${maxJitter} (a fraction of each interval)`,
    });
  }
  if (violations.length > 0) throw new RetryPolicyValidationError(violations);
  // `+ 0` turns -0 into 0, so the stored value and the no-change comparison are canonical.
  return { retryIntervalsSeconds: [...input.retryIntervalsSeconds], jitter: input.jitter + 0 };
}

function isIntervalSeconds(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= minIntervalSeconds &&
    value <= maxIntervalSeconds
  );
}
