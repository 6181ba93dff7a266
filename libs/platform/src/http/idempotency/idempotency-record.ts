import type { EncryptedSecret } from '../../crypto/secret-box';

/** Where the api keeps Idempotency-Key records, shared by every api process on the database. */
export const IDEMPOTENCY_COLLECTION = 'idempotency_records';

/**
 * One run of a request under one key's scope. The first run is epoch 0; when a run's owner died
 * (its lease lapsed) or it failed with a 5xx (its record was deleted), the next run inserts the
 * next epoch. The `_id` (`<scope>.<epoch>`) is the only coordination between api processes: of
 * concurrent requests, exactly one inserts each epoch. Only the process that inserted a record ever
 * updates it (FerretDB's updates are read-modify-write, so two writers could undo each other).
 */
export interface IdempotencyRecordDocument {
  /** `<scope>.<epoch>`. */
  _id: string;
  /** The sha-256 of the key's scope (principal, method, path, key); see idempotencyScope. */
  scope: string;
  epoch: number;
  state: 'in-progress' | 'completed';
  /** The sha-256 of the request body's canonical JSON; a repeat must match it. */
  fingerprint: string;
  createdAt: Date;
  /** While in progress: the owner renews it; once past, another request may take over. */
  leaseUntil: Date;
  /** createdAt + IDEMPOTENCY_KEY_TTL_HOURS: then the key is free again and the record pruned. */
  expiresAt: Date;
  /** Once completed: the HTTP status (not secret; for operators). */
  status?: number;
  /**
   * Once completed: the response (status, headers, body) as JSON, encrypted with the app's
   * SecretBox and bound to `_id`: a create or rotate response holds a webhook secret in full.
   */
  response?: EncryptedSecret;
  completedAt?: Date;
}

/** A response as it is replayed: the status, the headers that matter, the body's bytes. */
export interface StoredResponse {
  status: number;
  /** Lower-case names: content-type, location, etag, cache-control, as the response had them. */
  headers: Record<string, string>;
  body: Buffer;
}

/** The headers of a response that a replay repeats; others (Date, Content-Length, …) are made anew. */
export const REPLAYED_HEADERS = ['content-type', 'location', 'etag', 'cache-control'] as const;
