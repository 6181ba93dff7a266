import { decideRetryPolicy } from './retry-policy.commands';
import { evolveRetryPolicy, initialRetryPolicyState } from './retry-policy.events';

/** The retry-policy setting as one decider: state = events.reduce(evolve, initialState). */
export const retryPolicyDecider = {
  decide: decideRetryPolicy,
  evolve: evolveRetryPolicy,
  initialState: initialRetryPolicyState,
} as const;
