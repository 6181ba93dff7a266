import type { StoredEvent } from '../event.types';
import type { Projection } from './projection';
import type { ProjectionHost } from './projection-host';
import type { ProjectionRunner } from './projection-runner';
import { ReadyLatch } from './ready-latch';

/**
 * A projection whose read model lives in process memory (an index the worker matches against, a
 * setting it schedules with), so that reading it costs no database query. It declares no
 * `collectionBase` and runs on an in-memory checkpoint: every process replays the log from
 * position 0 when it starts, then follows it live.
 *
 * What such projections share lives here: applying one event at a time, in global order and
 * synchronously (a fold into memory has nothing to wait for, and one that throws rejects, so the
 * runner stops there and retries), skipping what the state has seen already (a replay changes
 * nothing), and the readiness latch: `ready` once the runner has caught up the first time, from
 * when on the read model holds everything committed before the process started.
 */
export abstract class InMemoryProjection implements Projection {
  abstract readonly name: string;
  // No collectionBase: the read model lives in memory only.

  private readonly readiness = new ReadyLatch();

  apply(event: StoredEvent): Promise<void> {
    try {
      this.follow(event);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Registers the projection with `host` on an in-memory checkpoint and marks it ready once its
   * runner has caught up the first time. Boot (and /health) does not wait for that catch-up:
   * whoever needs the read model complete waits for `whenReady`.
   */
  registerWith(host: ProjectionHost): ProjectionRunner {
    const runner = host.register(this, { checkpoint: 'memory' });
    // whenCaughtUp holds no timer, so a process stopping before the catch-up is not kept alive.
    void runner.whenCaughtUp().then(() => this.markReady());
    return runner;
  }

  /**
   * True once the read model has caught up with the log the first time since the process started:
   * from then on it holds everything committed before that moment, and follows later changes live.
   */
  get ready(): boolean {
    return this.readiness.isOpen;
  }

  /**
   * Called once the runner has caught up the first time (`registerWith` does it; a test running
   * its own runner calls it after `runner.whenCaughtUp()`). Idempotent.
   */
  markReady(): void {
    this.readiness.open();
  }

  /** Resolves once `ready` (at once if it is). Never rejects. */
  whenReady(): Promise<void> {
    return this.readiness.whenOpen();
  }

  /**
   * Folds one event of the global log into the read model, or ignores it (another stream or type).
   * Throws when the event cannot be folded: the runner then stops at it and retries.
   */
  protected abstract follow(event: StoredEvent): void;

  /**
   * Whether the state already reflects `event`: a state's version is the number of events of its
   * stream it has folded, so an event at or below it was applied before (a replayed batch).
   */
  protected alreadyFolded(event: StoredEvent, stateVersion: number): boolean {
    return event.version <= stateVersion;
  }
}
