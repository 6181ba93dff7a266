import { ApiError } from './api-error';
import type { Problem } from './problem';

/**
 * How a form shows a failed save: field errors and version conflicts belong in the form (next to
 * the fields, or as the conflict notice with Reload); anything else is a banner.
 */
export function splitFailure(failure: unknown): { problem: Problem | null; error: Error | null } {
  if (
    failure instanceof ApiError &&
    (failure.problem.errors.length > 0 || failure.problem.status === 412)
  ) {
    return { problem: failure.problem, error: null };
  }
  return {
    problem: null,
    error: failure instanceof Error ? failure : new Error(String(failure)),
  };
}
