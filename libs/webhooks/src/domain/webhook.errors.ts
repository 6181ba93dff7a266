/** One rejected field value, as the API's problem+json field list shows it. */
export interface FieldViolation {
  field: string;
  message: string;
}

/**
 * The command's field values break the rules. Carries every violation at once, so a form can mark all
 * of its bad fields in one round trip. Maps to HTTP 400/422.
 */
export class WebhookValidationError extends Error {
  override readonly name = 'WebhookValidationError';
  constructor(readonly fields: readonly FieldViolation[]) {
    super(`Invalid webhook: ${fields.map((v) => `${v.field}: ${v.message}`).join('; ')}`);
  }
}

/** No such webhook, or it was deleted (deleted webhooks are gone for writers). Maps to HTTP 404. */
export class WebhookNotFoundError extends Error {
  override readonly name = 'WebhookNotFoundError';
  constructor(readonly webhookId: string) {
    super(`Webhook ${webhookId} not found`);
  }
}

/** A create reused the id of a webhook that exists or existed. Maps to HTTP 409. */
export class WebhookAlreadyExistsError extends Error {
  override readonly name = 'WebhookAlreadyExistsError';
  constructor(readonly webhookId: string) {
    super(`Webhook ${webhookId} already exists`);
  }
}

/**
 * A stream holds events in an order `decide` never produces (e.g. an update before the creation).
 * Folding on would build a wrong state, so replay stops loudly instead.
 */
export class WebhookHistoryError extends Error {
  override readonly name = 'WebhookHistoryError';
}
