import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '@app/retry-policy';
import { nextRetryDelayMs } from './retry-schedule';

const fixed = (value: number) => () => value;
/** random 0.5 is the middle of the jitter band: exactly the interval. */
const middle = { random: fixed(0.5), maxRetryAfterSeconds: 3600 };
const policy: RetryPolicy = { retryIntervalsSeconds: [5, 300, 1800], jitter: 0.2 };

describe('nextRetryDelayMs', () => {
  it('after the n-th automatic attempt failed, waits the n-th interval', () => {
    expect(nextRetryDelayMs(policy, 1, middle)).toBe(5_000);
    expect(nextRetryDelayMs(policy, 2, middle)).toBe(300_000);
    expect(nextRetryDelayMs(policy, 3, middle)).toBe(1_800_000);
  });

  it('returns null once the schedule is exhausted: the delivery has failed for good', () => {
    expect(nextRetryDelayMs(policy, 4, middle)).toBeNull();
    expect(nextRetryDelayMs(policy, 50, middle)).toBeNull();
  });

  it('with no intervals there is no retry at all', () => {
    expect(nextRetryDelayMs({ retryIntervalsSeconds: [], jitter: 0.2 }, 1, middle)).toBeNull();
  });

  it('spreads each wait uniformly over [1 - jitter, 1 + jitter] times the interval', () => {
    const at = (random: number) =>
      nextRetryDelayMs(policy, 2, { random: fixed(random), maxRetryAfterSeconds: 3600 });
    expect(at(0)).toBe(240_000);
    expect(at(0.25)).toBe(270_000);
    expect(at(0.75)).toBe(330_000);
    expect(at(0.999999)).toBe(360_000);
  });

  it('with no jitter, waits exactly the interval whatever the random number', () => {
    const noJitter = { retryIntervalsSeconds: [60], jitter: 0 };
    for (const random of [0, 0.3, 0.99]) {
      expect(
        nextRetryDelayMs(noJitter, 1, { random: fixed(random), maxRetryAfterSeconds: 0 }),
      ).toBe(60_000);
    }
  });

  it('with jitter 1, ranges from no wait to twice the interval', () => {
    const full = { retryIntervalsSeconds: [60], jitter: 1 };
    expect(nextRetryDelayMs(full, 1, { ...middle, random: fixed(0) })).toBe(0);
    expect(nextRetryDelayMs(full, 1, { ...middle, random: fixed(0.9999999) })).toBe(120_000);
  });

  it('keeps within the band even if the random source misbehaves', () => {
    for (const random of [-1, 1, 2, Number.NaN]) {
      const delay = nextRetryDelayMs(policy, 1, { ...middle, random: fixed(random) })!;
      expect(delay).toBeGreaterThanOrEqual(4_000);
      expect(delay).toBeLessThanOrEqual(6_000);
    }
  });

  it('honours a Retry-After longer than the jittered wait', () => {
    expect(nextRetryDelayMs(policy, 1, { ...middle, retryAfterSeconds: 120 })).toBe(120_000);
  });

  it('keeps the jittered wait when a Retry-After asks for less', () => {
    expect(nextRetryDelayMs(policy, 2, { ...middle, retryAfterSeconds: 10 })).toBe(300_000);
  });

  it('caps a Retry-After at maxRetryAfterSeconds', () => {
    expect(
      nextRetryDelayMs(policy, 1, {
        random: fixed(0.5),
        retryAfterSeconds: 86_400,
        maxRetryAfterSeconds: 600,
      }),
    ).toBe(600_000);
  });

  it('never lets a Retry-After extend the number of attempts', () => {
    expect(nextRetryDelayMs(policy, 4, { ...middle, retryAfterSeconds: 30 })).toBeNull();
  });

  it('ignores an absent, null, zero or negative Retry-After', () => {
    for (const retryAfterSeconds of [undefined, null, 0, -5]) {
      expect(nextRetryDelayMs(policy, 1, { ...middle, retryAfterSeconds })).toBe(5_000);
    }
  });

  it('refuses an attempt count below 1 or not whole: the first attempt is never scheduled', () => {
    expect(() => nextRetryDelayMs(policy, 0, middle)).toThrow(RangeError);
    expect(() => nextRetryDelayMs(policy, 1.5, middle)).toThrow(RangeError);
  });

  it('walks the default policy: seven retries, about 27.6 hours in all', () => {
    const waits: number[] = [];
    for (let n = 1; ; n++) {
      const delay = nextRetryDelayMs(DEFAULT_RETRY_POLICY, n, middle);
      if (delay === null) break;
      waits.push(delay / 1000);
    }
    expect(waits).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(waits.reduce((a, b) => a + b, 0) / 3600).toBeCloseTo(27.58, 2);
  });
});
