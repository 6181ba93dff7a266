import { Logger } from '@nestjs/common';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { classifyWriteError, StoppedWritingError } from './write-errors';

/** How many times an `unclear` server error is tried before it is taken as permanent. */
const UNCLEAR_ATTEMPTS = 6;
/** Of many failures in a row, only the first and every tenth are logged. */
const LOG_EVERY = 10;

export interface TransientRetryOptions {
  /** For the warning logged on retries: what is being done. */
  what: string;
  /** Aborted on shutdown: the retries stop and the call rejects with StoppedWritingError. */
  signal?: AbortSignal;
}

const logger = new Logger('TransientRetry');

/**
 * Runs a database call until it succeeds, retrying transient failures (the database down,
 * unreachable, stepping down) with exponential back-off and decorrelated jitter (cockatiel), up
 * to 5 s apart, for as long as it takes; `unclear` server errors a few times; and never retrying
 * duplicates or permanent refusals, which the caller gets as they are.
 */
export async function retryTransient<T>(
  call: () => Promise<T>,
  options: TransientRetryOptions,
): Promise<T> {
  let failures = 0;
  let unclear = 0;
  const policy = retry(
    handleWhen((error) => {
      const kind = classifyWriteError(error);
      if (kind === 'unclear') return ++unclear < UNCLEAR_ATTEMPTS;
      return kind === 'transient';
    }),
    {
      maxAttempts: Number.POSITIVE_INFINITY,
      backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 5_000 }),
    },
    // A pending back-off must not keep a stopping process alive.
  ).dangerouslyUnref();
  try {
    return await policy.execute(async ({ signal }) => {
      if (signal.aborted) throw new StoppedWritingError(options.what);
      try {
        return await call();
      } catch (error) {
        failures++;
        if (failures === 1 || failures % LOG_EVERY === 0) {
          logger.warn(`${options.what} failed (${failures}x): ${(error as Error).message}`);
        }
        throw error;
      }
    }, options.signal);
  } catch (error) {
    if (options.signal?.aborted) throw new StoppedWritingError(options.what);
    throw error;
  }
}
