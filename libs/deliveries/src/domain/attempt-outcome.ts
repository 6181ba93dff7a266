/** What one HTTP attempt came to, as the sender reports it. */
export interface AttemptResult {
  outcome: 'succeeded' | 'failed' | 'gone';
  retryAfterSeconds: number | null;
}

/** Where the delivery stands before the attempt. */
export interface DeliveryProgress {
  /** Automatic attempts made before this one (0 for the first, immediate attempt). */
  scheduledAttempts: number;
  /** This attempt was asked for by an admin (retry, recover, test): one shot, no follow-ups. */
  manual: boolean;
}

export type NextStep =
  | { status: 'succeeded' }
  | { status: 'failed'; reason: 'exhausted' | 'gone' | 'manual' }
  | { status: 'retrying'; delayMs: number };

/**
 * What happens after an attempt, decided without side effects: done, failed for good, or another
 * try after a delay. `nextRetryDelay(n)` is the retry policy: the wait after the n-th automatic
 * attempt failed, or null once the schedule is exhausted. A manual attempt never starts a new
 * schedule; a 410 Gone ends the delivery at once (and the caller pauses the webhook).
 */
export function nextStepAfter(
  progress: DeliveryProgress,
  result: AttemptResult,
  nextRetryDelay: (
    automaticAttemptsMade: number,
    retryAfterSeconds: number | null,
  ) => number | null,
): NextStep {
  switch (result.outcome) {
    case 'succeeded':
      return { status: 'succeeded' };
    case 'gone':
      return { status: 'failed', reason: 'gone' };
    case 'failed': {
      if (progress.manual) return { status: 'failed', reason: 'manual' };
      const delayMs = nextRetryDelay(progress.scheduledAttempts + 1, result.retryAfterSeconds);
      return delayMs === null
        ? { status: 'failed', reason: 'exhausted' }
        : { status: 'retrying', delayMs };
    }
    default: {
      const unreachable: never = result.outcome;
      throw new Error(`unknown attempt outcome ${String(unreachable)}`);
    }
  }
}
