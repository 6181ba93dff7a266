/** The request header of draft-ietf-httpapi-idempotency-key-header (Node lower-cases its name). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Set on a response that is the stored outcome of an earlier request with the same key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** 1 to 255 visible ASCII characters: no spaces, no control characters, nothing beyond ASCII. */
const VALID_KEY = new RegExp(`^[\\x21-\\x7e]{1,${IDEMPOTENCY_KEY_MAX_LENGTH}}$`);

/**
 * The Idempotency-Key header is present but not a usable key: 400, so the client learns at once
 * rather than retrying with a key that protects nothing. The message names the header, never the
 * value (a client may have put something private there by mistake).
 */
export class InvalidIdempotencyKeyError extends Error {
  override readonly name = 'InvalidIdempotencyKeyError';
  constructor(reason: string) {
    super(
      `The Idempotency-Key header ${reason}; send 1 to 255 visible ASCII characters, e.g. a UUID.`,
    );
  }
}

/**
 * The key of an Idempotency-Key header value, or undefined when the header is absent. The value is
 * taken as sent (Node has trimmed surrounding whitespace): a draft-style quoted key (`"abc"`) keeps
 * its quotes, which are visible characters, so both styles work as long as a client repeats itself.
 * A header sent twice arrives joined by ", " and is rejected for its space.
 *
 * @throws InvalidIdempotencyKeyError when present but empty, too long or with other characters.
 */
export function parseIdempotencyKey(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new InvalidIdempotencyKeyError('was sent more than once');
  if (value.length === 0) throw new InvalidIdempotencyKeyError('is empty');
  if (value.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw new InvalidIdempotencyKeyError(`is longer than ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`);
  }
  if (!VALID_KEY.test(value)) {
    throw new InvalidIdempotencyKeyError('has characters other than visible ASCII');
  }
  return value;
}
