import { ProjectionWaitTimeoutError } from '../errors';

/**
 * The callers waiting for a projection to reach a position (read your writes), and those waiting
 * for its first catch-up. Whoever moves the position (by applying events, or by reading the
 * checkpoint another process wrote) calls `reached`.
 */
export class PositionWaiters {
  private readonly waiters = new Set<{ position: number; resolve: () => void }>();
  private caughtUp = false;
  private readonly caughtUpWaiters: (() => void)[] = [];

  constructor(private readonly projection: string) {}

  get hasCaughtUp(): boolean {
    return this.caughtUp;
  }

  /** Resolves once `reached` reports `position` or beyond; rejects after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new ProjectionWaitTimeoutError(this.projection, position, timeoutMs));
      }, timeoutMs);
      const waiter = { position, resolve: () => (clearTimeout(timer), resolve()) };
      this.waiters.add(waiter);
    });
  }

  reached(position: number): void {
    for (const waiter of this.waiters) {
      if (position >= waiter.position) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /** Never rejects and holds no timer: a projection stopped first leaves it pending. */
  whenCaughtUp(): Promise<void> {
    if (this.caughtUp) return Promise.resolve();
    return new Promise((resolve) => this.caughtUpWaiters.push(resolve));
  }

  markCaughtUp(): void {
    if (this.caughtUp) return;
    this.caughtUp = true;
    for (const resolve of this.caughtUpWaiters.splice(0)) resolve();
  }
}
