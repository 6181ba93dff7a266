/** MongoDB's and FerretDB's code for a unique index violation. */
export const DUPLICATE_KEY = 11000;

/**
 * Whether the write was refused by a unique index (and only by one). A bulk error whose list of
 * per-document errors is empty is not one: the driver wraps a lost connection that way.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: unknown; writeErrors?: Array<{ code?: unknown }> };
  if (Array.isArray(candidate.writeErrors)) {
    return (
      candidate.writeErrors.length > 0 &&
      candidate.writeErrors.every((writeError) => writeError.code === DUPLICATE_KEY)
    );
  }
  return candidate.code === DUPLICATE_KEY;
}
