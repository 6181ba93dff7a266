/** One rejected field value, as the API's problem+json field list shows it. */
export interface RetryPolicyFieldViolation {
  field: string;
  message: string;
}

/**
 * The proposed policy breaks the rules. Carries every violation at once (items of the interval list
 * by index, e.g. `retryIntervalsSeconds.2`), so a form can mark all of its bad fields. Maps to 400.
 */
export class RetryPolicyValidationError extends Error {
  override readonly name = 'RetryPolicyValidationError';
  constructor(readonly fields: readonly RetryPolicyFieldViolation[]) {
    super(`Invalid retry policy: ${fields.map((v) => `${v.field}: ${v.message}`).join('; ')}`);
  }
}

/** The settings stream holds an event `evolve` does not know: replay stops rather than guess. */
export class RetryPolicyHistoryError extends Error {
  override readonly name = 'RetryPolicyHistoryError';
}
