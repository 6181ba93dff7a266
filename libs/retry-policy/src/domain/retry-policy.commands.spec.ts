import { deciderSpec } from '@app/event-store/testing';
import { DEFAULT_RETRY_POLICY } from './retry-policy';
import type { SetRetryPolicy } from './retry-policy.commands';
import { retryPolicyDecider } from './retry-policy.decider';
import { RetryPolicyValidationError } from './retry-policy.errors';
import type { RetryPolicySet } from './retry-policy.events';

const given = deciderSpec(retryPolicyDecider, undefined);

const set = (retryIntervalsSeconds: readonly number[], jitter: number): SetRetryPolicy => ({
  type: 'SetRetryPolicy',
  data: { retryIntervalsSeconds, jitter },
});
const policySet = (retryIntervalsSeconds: number[], jitter: number): RetryPolicySet => ({
  type: 'RetryPolicySet',
  data: { retryIntervalsSeconds, jitter },
});

const SEVEN_DAYS = 7 * 24 * 3600;

describe('decide SetRetryPolicy', () => {
  it('given the default, when another policy is set, then RetryPolicySet carries it', () => {
    given([])
      .when(set([10, 60, 600], 0.1))
      .then([policySet([10, 60, 600], 0.1)]);
  });

  it('given the default, when the default itself is set, then nothing happens', () => {
    given([])
      .when(set([...DEFAULT_RETRY_POLICY.retryIntervalsSeconds], DEFAULT_RETRY_POLICY.jitter))
      .then([]);
  });

  it('given a set policy, when the same policy is set again, then nothing happens', () => {
    given([policySet([10, 60], 0)])
      .when(set([10, 60], 0))
      .then([]);
  });

  it('given a set policy, when only the jitter or one interval differs, then it is set', () => {
    given([policySet([10, 60], 0)])
      .when(set([10, 60], 0.5))
      .then([policySet([10, 60], 0.5)]);
    given([policySet([10, 60], 0)])
      .when(set([10, 61], 0))
      .then([policySet([10, 61], 0)]);
  });

  it('given a set policy, when the default is set again, then it is recorded (it differs from now)', () => {
    given([policySet([10], 0)])
      .when(set([...DEFAULT_RETRY_POLICY.retryIntervalsSeconds], 0.2))
      .then([policySet([...DEFAULT_RETRY_POLICY.retryIntervalsSeconds], 0.2)]);
  });

  it('accepts the edges: no retries at all, 20 intervals, 1 s and 7 days, jitter 0 and 1', () => {
    given([])
      .when(set([], 0))
      .then([policySet([], 0)]);
    const twenty = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 1 : SEVEN_DAYS));
    given([])
      .when(set(twenty, 1))
      .then([policySet(twenty, 1)]);
  });

  it('does not require the intervals to grow', () => {
    given([])
      .when(set([3600, 5, 60], 0.2))
      .then([policySet([3600, 5, 60], 0.2)]);
  });

  it('refuses more than 20 intervals', () => {
    const error = given([])
      .when(
        set(
          Array.from({ length: 21 }, () => 60),
          0.2,
        ),
      )
      .then(RetryPolicyValidationError);
    expect(error.fields).toEqual([
      { field: 'retryIntervalsSeconds', message: 'must have at most 20 intervals, has 21' },
    ]);
  });

  it('refuses intervals that are not whole seconds from 1 to 7 days, naming each by index', () => {
    const error = given([])
      .when(set([0, 5, 1.5, -3, SEVEN_DAYS + 1, Number.NaN, 60], 0.2))
      .then(RetryPolicyValidationError);
    expect(error.fields.map((violation) => violation.field)).toEqual([
      'retryIntervalsSeconds.0',
      'retryIntervalsSeconds.2',
      'retryIntervalsSeconds.3',
      'retryIntervalsSeconds.4',
      'retryIntervalsSeconds.5',
    ]);
    expect(error.fields[0].message).toBe(
      'must be a whole number of seconds from 1 to 604800 (7 days)',
    );
  });

  it('refuses a jitter outside 0 to 1, and reports it together with bad intervals', () => {
    for (const jitter of [-0.01, 1.01, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = given([])
        .when(set([5], jitter))
        .then(RetryPolicyValidationError);
      expect(error.fields).toEqual([
        { field: 'jitter', message: 'must be a number from 0 to 1 (a fraction of each interval)' },
      ]);
    }
    const both = given([])
      .when(set([0], 2))
      .then(RetryPolicyValidationError);
    expect(both.fields.map((violation) => violation.field)).toEqual([
      'retryIntervalsSeconds.0',
      'jitter',
    ]);
  });

  it('refuses values of the wrong type, should a caller bypass the HTTP validation', () => {
    const error = given([])
      .when({
        type: 'SetRetryPolicy',
        data: { retryIntervalsSeconds: '5,10' as unknown as number[], jitter: '0.2' as never },
      })
      .then(RetryPolicyValidationError);
    expect(error.fields.map((violation) => violation.field)).toEqual([
      'retryIntervalsSeconds',
      'jitter',
    ]);
  });

  it('stores a copy, so a caller editing its array afterwards changes nothing recorded', () => {
    const intervals = [10, 20];
    const [event] = retryPolicyDecider.decide(set(intervals, 0), retryPolicyDecider.initialState);
    intervals.push(30);
    expect(event.data.retryIntervalsSeconds).toEqual([10, 20]);
  });
});
