/**
 * How often and how long a delivery is retried: the waits before each retry after the first,
 * immediate attempt, and the jitter that spreads them (a fraction: 0.2 means each wait is drawn
 * from 80% to 120% of its interval, so receivers recovering from an outage are not hit by every
 * queued retry at the same second). An empty list means a single attempt and no retries.
 */
export interface RetryPolicy {
  readonly retryIntervalsSeconds: readonly number[];
  readonly jitter: number;
}

/** The policy in force until an owner sets another (PRODUCT.md part 3): about 27.6 hours of retries in all. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  retryIntervalsSeconds: Object.freeze([5, 300, 1800, 7200, 18000, 36000, 36000]),
  jitter: 0.2,
});

/** The limits the setting is validated against. */
export const RETRY_POLICY_LIMITS = Object.freeze({
  maxIntervals: 20,
  minIntervalSeconds: 1,
  /** 7 days: a longer wait is better served by a manual retry than by a delivery kept open. */
  maxIntervalSeconds: 7 * 24 * 3600,
  minJitter: 0,
  maxJitter: 1,
});

export function sameRetryPolicy(a: RetryPolicy, b: RetryPolicy): boolean {
  return (
    a.jitter === b.jitter &&
    a.retryIntervalsSeconds.length === b.retryIntervalsSeconds.length &&
    a.retryIntervalsSeconds.every((seconds, i) => seconds === b.retryIntervalsSeconds[i])
  );
}
