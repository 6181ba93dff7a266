import { ProblemDetailsFilter } from '../problem-details.filter';
import { InvalidIdempotencyKeyError } from './idempotency-key';

/** The key was used before, in the same scope, with another request body: 422 (the draft's choice). */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor() {
    super('The Idempotency-Key was already used with a different request body.');
  }
}

/** The first request with this key is still running (here or in another api process): 409. */
export class IdempotentRequestInProgressError extends Error {
  override readonly name = 'IdempotentRequestInProgressError';
  constructor() {
    super('A request with this Idempotency-Key is still in progress.');
  }
}

/** Seconds a client should wait before asking again about a request still in progress. */
export const IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

/**
 * How the Idempotency-Key failures read as RFC 9457 problems (status codes from
 * draft-ietf-httpapi-idempotency-key-header, "Error Scenarios"). Returns the unregistering function.
 */
export function registerIdempotencyProblems(): () => void {
  const unregister = [
    ProblemDetailsFilter.register(InvalidIdempotencyKeyError, (error) => ({
      status: 400,
      type: 'invalid-idempotency-key',
      title: 'Invalid Idempotency-Key header',
      detail: error.message,
    })),
    ProblemDetailsFilter.register(IdempotencyKeyReusedError, () => ({
      status: 422,
      type: 'idempotency-key-reused',
      title: 'Idempotency-Key reused with another request',
      detail:
        'This Idempotency-Key was already used for this route with a different body. Send the same body to get the first result, or use a new key for a new request.',
    })),
    ProblemDetailsFilter.register(IdempotentRequestInProgressError, () => ({
      status: 409,
      type: 'idempotency-key-in-use',
      title: 'Request with this Idempotency-Key in progress',
      detail:
        'The first request with this Idempotency-Key has not finished yet. Retry shortly with the same key and body to get its result.',
      headers: { 'Retry-After': String(IN_PROGRESS_RETRY_AFTER_SECONDS) },
    })),
  ];
  return () => unregister.forEach((remove) => remove());
}
