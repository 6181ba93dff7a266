export type LoadOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface LoaderEvents<T> {
  /** A load of `key` starts (the view shows that it is loading). */
  started(key: string): void;
  /** The answer to the latest question; superseded answers are never reported. */
  settled(key: string, outcome: LoadOutcome<T>): void;
}

/**
 * Loads one view, never more than one request at a time: a slow answer must not let a second
 * refresh (a poll tick, a click on Refresh, a reload after an action) start beside it.
 *
 * - `request(key)` while a load is in flight starts nothing: one more load follows once it has
 *   settled, however many requests came meanwhile (they ask for the same thing). If the key
 *   changed (a new filter), the load in flight is aborted (its AbortSignal fires, so fetch
 *   stops at once) and its answer dropped; the next question waits only for it to settle.
 * - `requestIfIdle(key)` (polling) starts a load only when none is in flight: a poll tick during a
 *   slow answer is skipped rather than queued, so polling never runs back to back.
 */
export class SingleFlightLoader<T> {
  private inFlight?: { key: string; abort: AbortController };
  /** The key to load once the load in flight has settled. */
  private queued?: string;
  private disposed = false;

  constructor(
    private readonly load: (key: string, signal: AbortSignal) => Promise<T>,
    private readonly events: LoaderEvents<T>,
  ) {}

  get busy(): boolean {
    return this.inFlight !== undefined;
  }

  request(key: string): void {
    if (this.disposed) return;
    if (!this.inFlight) return this.start(key);
    this.queued = key;
    if (this.inFlight.key !== key) this.inFlight.abort.abort();
  }

  requestIfIdle(key: string): void {
    if (!this.inFlight) this.request(key);
  }

  /** The view is gone: abort what is in flight, report nothing more, start nothing more. */
  dispose(): void {
    this.disposed = true;
    this.queued = undefined;
    this.inFlight?.abort.abort();
  }

  private start(key: string): void {
    const abort = new AbortController();
    this.inFlight = { key, abort };
    this.events.started(key);
    let answer: Promise<T>;
    try {
      answer = this.load(key, abort.signal);
    } catch (error) {
      answer = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    void answer
      .then(
        (value): LoadOutcome<T> => ({ ok: true, value }),
        (error: unknown): LoadOutcome<T> => ({ ok: false, error }),
      )
      .then((outcome) => {
        this.inFlight = undefined;
        const next = this.queued;
        this.queued = undefined;
        if (this.disposed) return;
        // A queued reload of the same key still shows this answer first; another key drops it.
        if (!abort.signal.aborted) this.events.settled(key, outcome);
        if (next !== undefined) this.start(next);
      });
  }
}
