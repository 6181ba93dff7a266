/**
 * `If-Match` named an older version of the retry policy than the current one (or another owner's
 * write won the race). Not the event store's ConcurrencyError: that one is mapped by the webhooks
 * library, in webhook terms, and this 412 must speak of the retry policy. Maps to HTTP 412.
 */
export class RetryPolicyConflictError extends Error {
  override readonly name = 'RetryPolicyConflictError';
  constructor(
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      `The retry policy is at version ${actualVersion}, not the expected version ${expectedVersion}`,
    );
  }
}
