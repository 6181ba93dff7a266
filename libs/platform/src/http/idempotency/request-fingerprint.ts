import { createHash } from 'node:crypto';
import stableStringify from 'fast-json-stable-stringify';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The fingerprint of a request body: sha-256 (hex) of its canonical JSON, object keys sorted at every
 * level. It is computed from the parsed body, so two bodies that differ only in key order or
 * whitespace are the same request; a request without a body counts as `null`.
 */
export function requestFingerprint(body: unknown): string {
  return sha256(stableStringify(body === undefined ? null : body));
}

/** What an Idempotency-Key is scoped to: the same key under another scope is another key. */
export interface IdempotencyScopeParts {
  /** The authenticated principal (the token's `sub`): callers never share keys. */
  principalId: string;
  method: string;
  /** The path as requested, without the query string, e.g. `/api/v1/webhooks/abc/activate`. */
  path: string;
  key: string;
}

/**
 * The stable hash (sha-256, hex) of a key's scope. A JSON array encodes the parts unambiguously
 * (no separator a part could contain), so no two scopes share a hash short of a sha-256 collision.
 */
export function idempotencyScope({
  principalId,
  method,
  path,
  key,
}: IdempotencyScopeParts): string {
  return sha256(JSON.stringify([principalId, method.toUpperCase(), path, key]));
}
