/**
 * A command meant for one version of its stream found another:
 * - `expected-version`: the caller's expected version (If-Match) was not the stream's when loaded;
 * - `lost-race`: another writer appended between this command's load and its append (after the
 *   retries, when the caller gave no expected version).
 */
export interface VersionMismatch<State> {
  kind: 'expected-version' | 'lost-race';
  streamId: string;
  /** The caller's expected version, or for a lost race the version the command loaded. */
  expectedVersion: number;
  actualVersion: number;
  /** The state the stream was loaded in. */
  state: State;
}

/**
 * Turns a mismatch into the aggregate's own error (a 404 for a stream that never existed, a 412 in
 * the aggregate's terms); undefined keeps the event store's ConcurrencyError.
 */
export type VersionMismatchHook<State> = (mismatch: VersionMismatch<State>) => Error | undefined;
