export * from './storage/delivery.documents';
export * from './domain/delivery-id';
export {
  DEFAULT_RETRY_POLICY,
  RETRY_POLICY_LIMITS,
  type RetryPolicy,
} from './retry-policy/domain/retry-policy';
export type { RetryPolicySet, RetryPolicyEvent } from './retry-policy/domain/retry-policy.events';
export { RetryPolicyValidationError } from './retry-policy/domain/retry-policy.errors';
export { RETRY_POLICY_STREAM_ID } from './retry-policy/application/retry-policy-stream';
export type { RetryPolicyView } from './retry-policy/application/retry-policy.view';
export { RetryPolicyModule } from './retry-policy/retry-policy.module';
export {
  RetryPolicyFollower,
  RETRY_POLICY_PROJECTION,
} from './retry-policy/follower/retry-policy-follower';
export { RetryPolicyFollowerModule } from './retry-policy/follower/retry-policy-follower.module';
export { nextRetryDelayMs, type RetryDelayOptions } from './domain/retry-schedule';
