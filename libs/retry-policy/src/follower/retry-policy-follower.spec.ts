import type { StoredEvent } from '@app/event-store';
import { DEFAULT_RETRY_POLICY } from '../domain/retry-policy';
import { RetryPolicyFollower } from './retry-policy-follower';

/** A RetryPolicySet as the event store hands it over: stream version and global position. */
function policySet(version: number, retryIntervalsSeconds: number[], jitter: number): StoredEvent {
  return {
    id: `event-${version}`,
    streamId: 'settings-retry-policy',
    type: 'RetryPolicySet',
    schemaVersion: 1,
    version,
    position: version * 1000,
    recordedAt: new Date('2026-05-01T00:00:00Z'),
    data: { retryIntervalsSeconds, jitter },
    metadata: { actor: 'user:owner', correlationId: 'corr', causationId: 'cause' },
  };
}

describe('RetryPolicyFollower', () => {
  it('given no event, then the current policy is the default', () => {
    const follower = new RetryPolicyFollower();
    expect(follower.current()).toEqual(DEFAULT_RETRY_POLICY);
    expect(follower.version).toBe(0);
  });

  it('given RetryPolicySet events, then the current policy is the last one set', async () => {
    const follower = new RetryPolicyFollower();
    await follower.apply(policySet(1, [10, 20], 0));
    await follower.apply(policySet(2, [60], 0.5));
    expect(follower.current()).toEqual({ retryIntervalsSeconds: [60], jitter: 0.5 });
    expect(follower.version).toBe(2);
    expect(Object.isFrozen(follower.current())).toBe(true);
  });

  it('given a replay from zero, then nothing already applied is applied again', async () => {
    const follower = new RetryPolicyFollower();
    const log = [policySet(1, [10], 0), policySet(2, [60], 0.5)];
    for (const event of [...log, ...log]) await follower.apply(event);
    expect(follower.current()).toEqual({ retryIntervalsSeconds: [60], jitter: 0.5 });
    expect(follower.version).toBe(2);
  });

  it('ignores events of other streams and other types', async () => {
    const follower = new RetryPolicyFollower();
    await follower.apply({ ...policySet(1, [1], 1), streamId: 'webhook-x' });
    await follower.apply({ ...policySet(1, [1], 1), type: 'WebhookCreated' });
    expect(follower.current()).toEqual(DEFAULT_RETRY_POLICY);
  });

  it('rejects an event it cannot fold (the runner stops) and keeps the policy it had', async () => {
    const follower = new RetryPolicyFollower();
    await expect(follower.apply({ ...policySet(1, [1], 1), data: null })).rejects.toThrow();
    expect(follower.current()).toEqual(DEFAULT_RETRY_POLICY);
  });

  it('is not ready until marked, then resolves whoever waits', async () => {
    const follower = new RetryPolicyFollower();
    let resolved = false;
    const waiting = follower.whenReady().then(() => (resolved = true));
    await Promise.resolve();
    expect(follower.ready).toBe(false);
    expect(resolved).toBe(false);
    follower.markReady();
    await waiting;
    expect(follower.ready).toBe(true);
    await expect(follower.whenReady()).resolves.toBeUndefined();
  });
});
