/**
 * Runs a bulk action the API does in bounded calls (recover: "capped, call again"; retry: "here is
 * the next cursor") until it is done, reporting the running total after each call. Free of React
 * and of fetch, so the loop's rules have unit specs:
 *
 * - Cancelling stops before the next call, never in the middle of one: the call in flight is let
 *   finish, so the total shown is what the API really did.
 * - A call that did nothing and hands back the cursor it was given would repeat for ever: the loop
 *   stops there ("stalled"). A call that did nothing but moved the cursor on goes on: the bulk
 *   retry reads a bounded part of the log per call, which may hold no failed delivery.
 * - A failed call ends the loop with the total so far and the error, so the page can say how far
 *   it got.
 */
export interface BatchAnswer<C> {
  /** How many this call did. */
  done: number;
  /** What to hand the next call; null: nothing more to do. */
  next: C | null;
}

export interface BatchOutcome {
  done: number;
  calls: number;
  ended: 'finished' | 'cancelled' | 'stalled' | 'failed';
  error?: unknown;
}

export interface BatchOptions {
  /** After each call, with the running total. */
  onProgress?: (done: number) => void;
  /** Asked before each call after the first. */
  isCancelled?: () => boolean;
  /** A bound on the calls, whatever the API says (a runaway loop costs the API, not just this tab). */
  maxCalls?: number;
}

export async function runBatches<C>(
  call: (cursor: C | undefined) => Promise<BatchAnswer<C>>,
  { onProgress, isCancelled = () => false, maxCalls = 10_000 }: BatchOptions = {},
): Promise<BatchOutcome> {
  let done = 0;
  let calls = 0;
  let cursor: C | undefined;
  for (;;) {
    if (calls > 0 && isCancelled()) return { done, calls, ended: 'cancelled' };
    if (calls >= maxCalls) return { done, calls, ended: 'stalled' };
    let answer: BatchAnswer<C>;
    try {
      answer = await call(cursor);
    } catch (error) {
      return { done, calls, ended: 'failed', error };
    }
    calls += 1;
    done += answer.done;
    onProgress?.(done);
    if (answer.next === null) return { done, calls, ended: 'finished' };
    if (answer.done === 0 && answer.next === cursor) return { done, calls, ended: 'stalled' };
    cursor = answer.next;
  }
}

/** The most one bulk retry call is asked to send (the API allows up to 500 a call). */
export const MAX_RETRY_BATCH = 100;

/**
 * How many one call of POST /deliveries/retry is asked to send: about a tenth of those counted,
 * so the progress moves in steps one can follow and Cancel takes effect soon, whatever the count;
 * at least one, at most MAX_RETRY_BATCH.
 */
export function retryBatchSize(count: number): number {
  return Math.min(MAX_RETRY_BATCH, Math.max(1, Math.ceil(count / 10)));
}
