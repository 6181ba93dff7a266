import type { StoredEvent } from '@app/event-store';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../domain/retry-policy';
import { isRetryPolicyEventType, type RetryPolicyEvent } from '../domain/retry-policy.events';

export interface Change<T> {
  from: T;
  to: T;
}

/** What one change of the setting changed: only the fields that did (both, or one). */
export interface RetryPolicyChanges {
  retryIntervalsSeconds?: Change<number[]>;
  jitter?: Change<number>;
}

/** One change of the default retry policy: its version, when, who, and what it changed. */
export interface RetryPolicyHistoryEntry {
  type: string;
  /** The setting's version after this change (its ETag from then on). */
  version: number;
  position: number;
  at: string;
  actor: string;
  correlationId: string;
  changes: RetryPolicyChanges;
}

export interface RetryPolicyHistoryPage {
  items: RetryPolicyHistoryEntry[];
  /** Pass as `after` for the next page (the last entry's version); null on the last one. */
  nextAfter: number | null;
}

/**
 * The setting's changes, oldest first, after version `after`, at most `limit`. Folded from the
 * first event (the policy before the first change is the default), so each entry says from what
 * to what. Pure: the stream is small (one event per deliberate owner change) and read in full.
 */
export function retryPolicyHistory(
  events: readonly StoredEvent[],
  after: number,
  limit: number,
): RetryPolicyHistoryPage {
  const items: RetryPolicyHistoryEntry[] = [];
  let policy: RetryPolicy = DEFAULT_RETRY_POLICY;
  let more = false;
  for (const stored of events) {
    if (!isRetryPolicyEventType(stored.type)) continue;
    const event = { type: stored.type, data: stored.data } as RetryPolicyEvent;
    const next: RetryPolicy = event.data;
    if (stored.version > after) {
      if (items.length === limit) {
        more = true;
        break;
      }
      items.push({
        type: stored.type,
        version: stored.version,
        position: stored.position,
        at: stored.recordedAt.toISOString(),
        actor: stored.metadata.actor,
        correlationId: stored.metadata.correlationId,
        changes: changesBetween(policy, next),
      });
    }
    policy = next;
  }
  return { items, nextAfter: more ? (items.at(-1)?.version ?? null) : null };
}

function changesBetween(from: RetryPolicy, to: RetryPolicy): RetryPolicyChanges {
  const changes: RetryPolicyChanges = {};
  const intervalsFrom = [...from.retryIntervalsSeconds];
  const intervalsTo = [...to.retryIntervalsSeconds];
  if (JSON.stringify(intervalsFrom) !== JSON.stringify(intervalsTo)) {
    changes.retryIntervalsSeconds = { from: intervalsFrom, to: intervalsTo };
  }
  if (from.jitter !== to.jitter) changes.jitter = { from: from.jitter, to: to.jitter };
  return changes;
}
