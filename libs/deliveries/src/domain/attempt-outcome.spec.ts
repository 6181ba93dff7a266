import { nextStepAfter } from './attempt-outcome';

/** A two-retry schedule: 5 s then 60 s; Retry-After is taken as a lower bound. */
const schedule = (made: number, retryAfter: number | null): number | null => {
  const waits = [5_000, 60_000];
  const wait = waits[made - 1];
  if (wait === undefined) return null;
  return Math.max(wait, (retryAfter ?? 0) * 1000);
};

describe('nextStepAfter', () => {
  it('given any attempt, when it succeeds, then the delivery has succeeded', () => {
    expect(
      nextStepAfter(
        { scheduledAttempts: 2, manual: false },
        { outcome: 'succeeded', retryAfterSeconds: null },
        schedule,
      ),
    ).toEqual({ status: 'succeeded' });
  });

  it('given the first attempt, when it fails, then the first retry waits the first interval', () => {
    expect(
      nextStepAfter(
        { scheduledAttempts: 0, manual: false },
        { outcome: 'failed', retryAfterSeconds: null },
        schedule,
      ),
    ).toEqual({ status: 'retrying', delayMs: 5_000 });
  });

  it('given a 429 with Retry-After, when it fails, then the wait honours it', () => {
    expect(
      nextStepAfter(
        { scheduledAttempts: 0, manual: false },
        { outcome: 'failed', retryAfterSeconds: 30 },
        schedule,
      ),
    ).toEqual({ status: 'retrying', delayMs: 30_000 });
  });

  it('given the last scheduled attempt, when it fails, then the delivery has failed for good', () => {
    expect(
      nextStepAfter(
        { scheduledAttempts: 2, manual: false },
        { outcome: 'failed', retryAfterSeconds: null },
        schedule,
      ),
    ).toEqual({ status: 'failed', reason: 'exhausted' });
  });

  it('given a 410 Gone, then the delivery fails at once, whatever is left of the schedule', () => {
    expect(
      nextStepAfter(
        { scheduledAttempts: 0, manual: false },
        { outcome: 'gone', retryAfterSeconds: null },
        schedule,
      ),
    ).toEqual({ status: 'failed', reason: 'gone' });
  });

  it('given a manual attempt, when it fails, then no new schedule starts', () => {
    expect(
      nextStepAfter(
        { scheduledAttempts: 0, manual: true },
        { outcome: 'failed', retryAfterSeconds: null },
        schedule,
      ),
    ).toEqual({ status: 'failed', reason: 'manual' });
  });
});
