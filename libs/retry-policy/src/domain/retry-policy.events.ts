import type { EventMetadata, NewEvent } from '@app/event-store';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';
import { RetryPolicyHistoryError } from './retry-policy.errors';

// The persisted shape is spelled out here rather than derived from RetryPolicy, so that a refactor
// elsewhere cannot silently change what is stored; a shape change means a new schema version.

/** The owner set the default retry policy; it applies from now on to every retry scheduled. */
export interface RetryPolicySet {
  type: 'RetryPolicySet';
  data: { retryIntervalsSeconds: number[]; jitter: number };
}

export type RetryPolicyEvent = RetryPolicySet;

export type RetryPolicyEventType = RetryPolicyEvent['type'];

/** The current schema version of each persisted event type. Raising one needs an upcaster. */
export const RETRY_POLICY_EVENT_SCHEMA_VERSIONS = {
  RetryPolicySet: 1,
} as const satisfies Record<RetryPolicyEventType, number>;

export function isRetryPolicyEventType(type: string): type is RetryPolicyEventType {
  return Object.hasOwn(RETRY_POLICY_EVENT_SCHEMA_VERSIONS, type);
}

/** A decided event in the form the event store appends, stamped with its current schema version. */
export function toNewRetryPolicyEvent(
  event: RetryPolicyEvent,
  metadata: EventMetadata,
): NewEvent<RetryPolicyEventType, RetryPolicyEvent['data']> {
  return {
    type: event.type,
    data: event.data,
    schemaVersion: RETRY_POLICY_EVENT_SCHEMA_VERSIONS[event.type],
    metadata,
  };
}

export interface RetryPolicyState {
  /** The policy in force: the default until the first RetryPolicySet. */
  policy: RetryPolicy;
  /** Number of events applied: equals the stream version, for If-Match / expected-version checks. */
  version: number;
}

export const initialRetryPolicyState: RetryPolicyState = Object.freeze({
  policy: DEFAULT_RETRY_POLICY,
  version: 0,
});

export function evolveRetryPolicy(
  state: RetryPolicyState,
  event: RetryPolicyEvent,
): RetryPolicyState {
  switch (event.type) {
    case 'RetryPolicySet': {
      const { retryIntervalsSeconds, jitter } = event.data;
      // Frozen copies: the state is shared (e.g. by the worker's follower) and must not be edited.
      const policy = Object.freeze({
        retryIntervalsSeconds: Object.freeze([...retryIntervalsSeconds]),
        jitter,
      });
      return { policy, version: state.version + 1 };
    }
    default: {
      // Checked on the type, not the event: a one-member union does not narrow to never.
      const unhandled: never = event.type;
      throw new RetryPolicyHistoryError(`Unknown retry policy event ${String(unhandled)}`);
    }
  }
}
