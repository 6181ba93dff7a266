import type { LoadedRetryPolicy } from './retry-policy.repository';

/** The retry policy as the API returns it. */
export interface RetryPolicyView {
  retryIntervalsSeconds: number[];
  jitter: number;
  /** The stream version, also sent as ETag: 0 while the default was never changed. */
  version: number;
  /** When and by whom (the event's actor, e.g. `user:alice`) it was last set; null for the default. */
  updatedAt: string | null;
  updatedBy: string | null;
}

export function viewOfRetryPolicy({
  state,
  version,
  lastChange,
}: LoadedRetryPolicy): RetryPolicyView {
  return {
    retryIntervalsSeconds: [...state.policy.retryIntervalsSeconds],
    jitter: state.policy.jitter,
    version,
    updatedAt: lastChange ? lastChange.recordedAt.toISOString() : null,
    updatedBy: lastChange ? lastChange.metadata.actor : null,
  };
}
