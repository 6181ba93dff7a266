/** MongoDB's and FerretDB's code for a unique index violation. */
const DUPLICATE_KEY = 11000;

export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: unknown; writeErrors?: Array<{ code?: unknown }> };
  if (candidate.code === DUPLICATE_KEY) return true;
  return Array.isArray(candidate.writeErrors)
    ? candidate.writeErrors.every((writeError) => writeError.code === DUPLICATE_KEY)
    : false;
}
