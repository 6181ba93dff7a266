import {
  MongoBulkWriteError,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { isDuplicateKeyError } from '@app/platform';

/**
 * How a failed database call is to be treated:
 * - `duplicate`: a unique index refused the insert; the caller decides what that means;
 * - `transient`: the database could not be reached or was busy (network, server selection,
 *   stepping down, shutting down): retried with back-off for as long as it takes, since an
 *   outage must delay writes, never drop them;
 * - `unclear`: a server error this code does not know (FerretDB reports backend trouble as
 *   InternalError, but also a few real refusals): retried a few times, then permanent;
 * - `permanent`: the server refuses the document itself (too large, invalid field names, wrong
 *   types): writing it again cannot succeed, so it must not hold back anything else.
 */
export type WriteErrorKind = 'duplicate' | 'transient' | 'unclear' | 'permanent';

/** Server codes that mean "not now" (MongoDB's retryable set plus FerretDB's shutdown codes). */
const TRANSIENT_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  64, // WriteConcernFailed
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/** Server codes that refuse the document itself. */
const PERMANENT_CODES = new Set([
  2, // BadValue (FerretDB: invalid document data)
  14, // TypeMismatch
  52, // DollarPrefixedFieldName
  55, // InvalidDBRef
  56, // EmptyFieldName
  57, // DottedFieldName
  10334, // BSONObjectTooLarge
  17419, // document too large
  17280, // key too large to index
]);

export function classifyWriteError(error: unknown): WriteErrorKind {
  // No answer per document: the batch as a whole did not get through (the driver reports a lost
  // connection that way), which says nothing about the documents.
  if (error instanceof MongoBulkWriteError && writeErrorsOf(error).length === 0) {
    return 'transient';
  }
  if (isDuplicateKeyError(error)) return 'duplicate';
  if (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoTopologyClosedError
  ) {
    return 'transient';
  }
  const code = codeOf(error);
  if (code !== undefined && PERMANENT_CODES.has(code)) return 'permanent';
  if (code !== undefined && TRANSIENT_CODES.has(code)) return 'transient';
  if (hasLabel(error, 'RetryableWriteError') || hasLabel(error, 'ResetPool')) return 'transient';
  // Mongoose queues calls while its connection is down and fails them after bufferTimeoutMS.
  if (error instanceof Error && /buffering timed out/.test(error.message)) return 'transient';
  if (error instanceof MongoServerError) return 'unclear';
  // Anything else (a driver error without a server answer, a timeout of our own) is about
  // reaching the database, not about the document.
  return 'transient';
}

function writeErrorsOf(error: MongoBulkWriteError): unknown[] {
  const writeErrors = error.writeErrors as unknown;
  if (Array.isArray(writeErrors)) return writeErrors;
  return writeErrors ? [writeErrors] : [];
}

/** The server's code of a (bulk) write error, if it has one. */
export function codeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

function hasLabel(error: unknown, label: string): boolean {
  const has = (error as { hasErrorLabel?: (label: string) => boolean } | null)?.hasErrorLabel;
  return typeof has === 'function' && has.call(error, label);
}

/** The database refused a document for good; the reason is the server's message. */
export class PermanentWriteError extends Error {
  override readonly name = 'PermanentWriteError';

  constructor(
    readonly collection: string,
    readonly reason: string,
  ) {
    super(`${collection}: the database refused the document: ${reason}`);
  }
}

/** The process is stopping: a write that did not land by now is left for whoever resumes. */
export class StoppedWritingError extends Error {
  override readonly name = 'StoppedWritingError';

  constructor(what: string) {
    super(`${what}: not written, the process is shutting down`);
  }
}
