import { performance } from 'node:perf_hooks';

export interface TimedResponse<T = unknown> {
  status: number;
  body: T;
  /** From sending the request to having read the whole body. */
  elapsedMs: number;
}

/** A request that did not get the status it expected (or no answer at all). */
export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError';

  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number | undefined,
    detail: string,
  ) {
    super(`${method} ${path}: ${status === undefined ? 'no answer' : status} ${detail}`);
  }
}

/** Calls the api under /api/v1 with a bearer token, timing each call end to end. */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 60_000,
  ) {}

  /** Sends the request; throws UnexpectedResponseError unless the status is `expect`. */
  async request<T = unknown>(
    method: string,
    path: string,
    token: string,
    { body, expect = 200 }: { body?: unknown; expect?: number } = {},
  ): Promise<TimedResponse<T>> {
    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new UnexpectedResponseError(method, path, undefined, (error as Error).message);
    }
    const elapsedMs = performance.now() - started;
    if (response.status !== expect) {
      throw new UnexpectedResponseError(method, path, response.status, text.slice(0, 500));
    }
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, elapsedMs };
  }
}

/**
 * Runs `task(0) .. task(count - 1)` with at most `concurrency` in flight, in index order. A task
 * that throws stops no other; `onError` decides whether to go on (return true) or stop taking new
 * tasks, in which case the pool rejects with that error once the tasks in flight have finished.
 */
export async function runPool(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
  onError: (error: unknown, index: number) => boolean,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (!failure && next < count) {
      const index = next++;
      try {
        await task(index);
      } catch (error) {
        if (!onError(error, index)) failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  if (failure) throw failure.error;
}
