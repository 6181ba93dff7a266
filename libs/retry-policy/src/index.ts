export { DEFAULT_RETRY_POLICY, RETRY_POLICY_LIMITS, type RetryPolicy } from './domain/retry-policy';
export type { RetryPolicySet, RetryPolicyEvent } from './domain/retry-policy.events';
export { RetryPolicyValidationError } from './domain/retry-policy.errors';
// The rules a policy is checked against, shared with the per-webhook override (libs/webhooks).
export { validateRetryPolicy } from './domain/retry-policy.commands';
export { RETRY_POLICY_STREAM_ID } from './application/retry-policy-stream';
export type { RetryPolicyView } from './application/retry-policy.view';
export { RetryPolicyModule } from './retry-policy.module';
export { RetryPolicyFollower, RETRY_POLICY_PROJECTION } from './follower/retry-policy-follower';
export { RetryPolicyFollowerModule } from './follower/retry-policy-follower.module';
export { describeRetryPolicyEventForAudit } from './application/retry-policy-audit';
export type {
  RetryPolicyHistoryEntry,
  RetryPolicyHistoryPage,
} from './application/retry-policy-history';
