import { ProblemDetailsFilter } from '@app/platform';
import { etagOf } from '@app/platform';
import { RetryPolicyConflictError } from './application/retry-policy-conflict.error';
import { RetryPolicyValidationError } from './domain/retry-policy.errors';

/**
 * How the retry-policy setting's failures read as RFC 9457 problems. A malformed If-Match
 * (InvalidIfMatchError) and write contention (AppendContentionError) are shared with the webhook
 * routes and keep the mappings of webhook-problems.ts, so each class has exactly one mapper.
 */
export function registerRetryPolicyProblems(): () => void {
  const unregister = [
    ProblemDetailsFilter.register(RetryPolicyValidationError, (error) => ({
      status: 400,
      type: 'validation-error',
      title: 'The request is not valid',
      detail: 'One or more fields are not valid.',
      errors: error.fields.map(({ field, message }) => ({ field, message })),
    })),
    ProblemDetailsFilter.register(RetryPolicyConflictError, (error) => ({
      status: 412,
      type: 'version-conflict',
      title: 'The retry policy changed since you read it',
      detail: `You edited version ${error.expectedVersion}; it is now at version ${error.actualVersion}. Reload and apply your change again.`,
      extensions: { currentVersion: error.actualVersion },
      headers: { ETag: etagOf(error.actualVersion) },
    })),
  ];
  return () => unregister.forEach((remove) => remove());
}
