import type { RetryPolicy } from '@app/retry-policy';

export interface RetryDelayOptions {
  /** A uniform random number in [0, 1), e.g. Math.random; injected so tests can fix it. */
  random: () => number;
  /** The receiver's `Retry-After` (429/503) in seconds, already parsed; null or absent for none. */
  retryAfterSeconds?: number | null;
  /** The most a Retry-After may hold a retry back, so a receiver cannot park deliveries for days. */
  maxRetryAfterSeconds: number;
}

/**
 * The wait before the next automatic attempt, after the n-th (`automaticAttemptsMade`, from 1)
 * failed: `retryIntervalsSeconds[n - 1]` scaled by a uniform factor in [1 - jitter, 1 + jitter], so
 * retries queued by one outage do not all hit the receiver in the same second. Null when the
 * schedule is exhausted: the delivery has failed for good.
 *
 * A Retry-After raises the wait to at least what the receiver asked for (capped at
 * `maxRetryAfterSeconds`) but never adds an attempt: only the policy decides how many there are.
 */
export function nextRetryDelayMs(
  policy: RetryPolicy,
  automaticAttemptsMade: number,
  options: RetryDelayOptions,
): number | null {
  if (!Number.isInteger(automaticAttemptsMade) || automaticAttemptsMade < 1) {
    throw new RangeError(
      `automaticAttemptsMade must be a whole number from 1 (the first attempt is immediate), got ${automaticAttemptsMade}`,
    );
  }
  const intervalSeconds = policy.retryIntervalsSeconds[automaticAttemptsMade - 1];
  if (intervalSeconds === undefined) return null;

  const jitter = clamp(policy.jitter, 0, 1);
  // Clamped: a random source returning exactly 1 (or a bad one) must not leave the jitter band.
  const factor = 1 - jitter + 2 * jitter * clamp(options.random(), 0, 1);
  const jittered = intervalSeconds * 1000 * factor;

  const { retryAfterSeconds, maxRetryAfterSeconds } = options;
  const floor =
    typeof retryAfterSeconds === 'number' && retryAfterSeconds > 0
      ? Math.min(retryAfterSeconds, Math.max(0, maxRetryAfterSeconds)) * 1000
      : 0;
  return Math.round(Math.max(jittered, floor));
}

/** NaN falls to `min`, so a broken input can only shorten the jitter, never break the schedule. */
function clamp(value: number, min: number, max: number): number {
  return value >= min ? Math.min(value, max) : min;
}
