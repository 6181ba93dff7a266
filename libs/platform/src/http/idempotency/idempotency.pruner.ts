import { Logger } from '@nestjs/common';
import type { IdempotencyStore } from './idempotency.store';

export interface IdempotencyPrunerOptions {
  /** Between the end of one run and the start of the next. */
  intervalMs: number;
  /** Expired records deleted per batch. */
  batchSize: number;
  /** Batches per run at most, so one run stays short however many records expired at once. */
  maxBatchesPerRun: number;
}

export const DEFAULT_PRUNER_OPTIONS: IdempotencyPrunerOptions = {
  intervalMs: 60_000,
  batchSize: 100,
  maxBatchesPerRun: 10,
};

/**
 * Deletes expired Idempotency-Key records in the background, for servers without TTL indexes
 * (FerretDB). Every api process runs one; deleting a record twice is harmless. Runs never overlap
 * (each is scheduled when the last has finished) and nothing of it runs on a request's path.
 */
export class IdempotencyPruner {
  private readonly logger = new Logger('Idempotency');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private started = false;
  private stopping = false;

  constructor(
    private readonly store: IdempotencyStore,
    private readonly options: IdempotencyPrunerOptions = DEFAULT_PRUNER_OPTIONS,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.schedule();
  }

  /** Stops scheduling and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One run: batches until one comes back short, at most maxBatchesPerRun; returns how many went. */
  async runOnce(): Promise<number> {
    let pruned = 0;
    for (let batch = 0; batch < this.options.maxBatchesPerRun; batch++) {
      const found = await this.store.pruneExpired(this.options.batchSize);
      pruned += found;
      if (found < this.options.batchSize || this.stopping) break;
    }
    return pruned;
  }

  private schedule(): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce();
      this.running
        .then((pruned) => {
          if (pruned > 0) this.logger.debug(`pruned ${pruned} expired idempotency records`);
        })
        .catch((error: unknown) =>
          this.logger.warn(
            `pruning idempotency records failed (next try in ${this.options.intervalMs} ms): ${error instanceof Error ? error.message : String(error)}`,
          ),
        )
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }
}
