import type { StoredEvent } from '@app/event-store';
import { DEFAULT_RETRY_POLICY } from '../domain/retry-policy';
import { describeRetryPolicyEventForAudit } from './retry-policy-audit';
import { retryPolicyHistory } from './retry-policy-history';
import { RETRY_POLICY_STREAM_ID } from './retry-policy-stream';

function set(version: number, retryIntervalsSeconds: number[], jitter: number): StoredEvent {
  return {
    id: `event-${version}`,
    streamId: RETRY_POLICY_STREAM_ID,
    type: 'RetryPolicySet',
    schemaVersion: 1,
    version,
    position: version * 1000,
    recordedAt: new Date(Date.UTC(2026, 4, version)),
    data: { retryIntervalsSeconds, jitter },
    metadata: {
      actor: `user:owner-${version}`,
      correlationId: `corr-${version}`,
      causationId: 'c',
    },
  };
}

const events = [set(1, [10, 60], 0.2), set(2, [10, 60], 0.1), set(3, [], 0)];

describe('the retry policy history', () => {
  it('says for each change its version, time, actor, and only the fields it changed, from what to what', () => {
    // When
    const { items, nextAfter } = retryPolicyHistory(events, 0, 50);

    // Then
    expect(items).toEqual([
      {
        type: 'RetryPolicySet',
        version: 1,
        position: 1000,
        at: '2026-05-01T00:00:00.000Z',
        actor: 'user:owner-1',
        correlationId: 'corr-1',
        changes: {
          retryIntervalsSeconds: {
            from: [...DEFAULT_RETRY_POLICY.retryIntervalsSeconds],
            to: [10, 60],
          },
        },
      },
      expect.objectContaining({ version: 2, changes: { jitter: { from: 0.2, to: 0.1 } } }),
      expect.objectContaining({
        version: 3,
        changes: {
          retryIntervalsSeconds: { from: [10, 60], to: [] },
          jitter: { from: 0.1, to: 0 },
        },
      }),
    ]);
    expect(nextAfter).toBeNull();
  });

  it('pages by version: nextAfter continues where the page ended, still from the right policy', () => {
    // When
    const first = retryPolicyHistory(events, 0, 2);
    const second = retryPolicyHistory(events, first.nextAfter!, 2);

    // Then
    expect(first.items.map((entry) => entry.version)).toEqual([1, 2]);
    expect(first.nextAfter).toBe(2);
    expect(second.items.map((entry) => entry.version)).toEqual([3]);
    expect(second.items[0].changes.jitter).toEqual({ from: 0.1, to: 0 });
    expect(second.nextAfter).toBeNull();
  });

  it('reads in the audit as a change of the retry-policy setting, other streams not at all', () => {
    expect(describeRetryPolicyEventForAudit(events[1])).toEqual({
      subject: { kind: 'settings', id: 'retry-policy' },
      details: { retryIntervalsSeconds: [10, 60], jitter: 0.1 },
    });
    expect(describeRetryPolicyEventForAudit({ ...events[1], streamId: 'webhook-1' })).toBeNull();
  });
});
