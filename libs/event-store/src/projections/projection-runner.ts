import { Logger } from '@nestjs/common';
import type { Collection, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { CheckpointConflictError } from '../errors';
import type { EventStore } from '../event-store';
import { CheckpointStore } from './checkpoint-store';
import { generationCollection, Projection } from './projection';

export interface ProjectionRunnerOptions {
  /** How long to sleep when caught up and no in-process append woke the runner. */
  pollIntervalMs?: number;
  /** Events applied per checkpoint. */
  batchSize?: number;
  /** Checkpoint id, when it differs from the projection name (rebuilds run under their own id). */
  checkpointName?: string;
  /** Write to this collection instead of the checkpoint's: used by rebuilds. */
  fixedCollection?: string;
  rebuilding?: boolean;
}

const DEFAULTS = { pollIntervalMs: 250, batchSize: 500 };
/** Pause before re-reading a log read that overlapped a concurrent insert. */
const TORN_READ_RETRY_MS = 5;

/**
 * Runs one projection: catches up from its checkpoint, then follows the log live (woken at once by
 * appends made in this process, polling for the others). Events are applied strictly in global
 * order; the log is contiguous, so the runner never skips a position. Checkpoints move by
 * compare-and-set: a runner that loses (another runner, a rebuild swap) reloads and goes on.
 */
export class ProjectionRunner {
  private readonly logger: Logger;
  private readonly options: Required<Omit<ProjectionRunnerOptions, 'fixedCollection'>> &
    Pick<ProjectionRunnerOptions, 'fixedCollection'>;
  private readonly checkpointName: string;
  private position = 0;
  private generation = 1;
  private collectionName = '';
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private unsubscribe?: () => void;
  private torn = false;
  private applied = 0;
  private readonly waiters = new Set<{ position: number; resolve: () => void }>();
  private lastError?: Error;

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly connection: Connection,
    private readonly projection: Projection,
    options: ProjectionRunnerOptions = {},
  ) {
    this.checkpointName = options.checkpointName ?? projection.name;
    this.options = {
      ...DEFAULTS,
      checkpointName: this.checkpointName,
      rebuilding: false,
      ...options,
    };
    this.logger = new Logger(`Projection:${this.checkpointName}`);
  }

  get currentPosition(): number {
    return this.position;
  }

  /** Events applied by this runner since it was created. */
  get eventsApplied(): number {
    return this.applied;
  }

  /** The collection the read side should query. */
  get collection(): Collection<Document> {
    return this.db().collection(this.collectionName);
  }

  get error(): Error | undefined {
    return this.lastError;
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.load();
    this.running = true;
    this.unsubscribe = this.store.onAppended(() => this.wake?.());
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wake?.();
    await this.loop;
  }

  /** Applies everything visible now, then returns (no live follow). */
  async catchUp(): Promise<number> {
    await this.load();
    while ((await this.step()) || this.torn) {
      if (this.torn) await delay(TORN_READ_RETRY_MS);
    }
    return this.position;
  }

  /** Resolves once the projection has applied `position` (read-your-writes), or rejects on timeout. */
  waitFor(position: number, timeoutMs = 10_000): Promise<void> {
    if (this.position >= position) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = { position, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(
          new Error(
            `Projection ${this.checkpointName} did not reach ${position} in ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
      this.wake?.();
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const progressed = await this.step();
        if (progressed) continue;
        await this.sleep(this.torn ? TORN_READ_RETRY_MS : this.options.pollIntervalMs);
        this.lastError = undefined;
      } catch (error) {
        if (error instanceof CheckpointConflictError) {
          this.logger.log(
            'checkpoint moved elsewhere (another runner or a rebuild swap); reloading',
          );
          await this.load();
          continue;
        }
        this.lastError = error as Error;
        this.logger.error(`projection failed, retrying: ${(error as Error).message}`);
        await this.sleep(Math.max(this.options.pollIntervalMs, 1000));
      }
    }
  }

  /** One read-apply-checkpoint round. Returns whether the position moved. */
  private async step(): Promise<boolean> {
    const batch = await this.store.readLog(this.position, this.options.batchSize);
    this.torn = batch.torn && batch.commits.length === 0;
    if (batch.commits.length > 0) {
      const context = { collection: this.collection, rebuilding: this.options.rebuilding };
      for (const event of this.store.eventsOf(batch.commits)) {
        await this.projection.apply(event, context);
        this.applied++;
      }
      await this.checkpoints.advance(
        this.checkpointName,
        this.generation,
        this.position,
        batch.position,
      );
      this.position = batch.position;
      this.notifyWaiters();
      return true;
    }
    return false;
  }

  private async load(): Promise<void> {
    const checkpoint = await this.checkpoints.load(
      this.checkpointName,
      this.options.fixedCollection ?? generationCollection(this.projection.collectionBase, 1),
    );
    this.position = checkpoint.position;
    this.generation = checkpoint.generation;
    this.collectionName = this.options.fixedCollection ?? checkpoint.collection;
    if (checkpoint.position === 0) await this.projection.setup?.(this.collection);
  }

  private notifyWaiters(): void {
    for (const waiter of this.waiters) {
      if (this.position >= waiter.position) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private db() {
    const db = this.connection.db;
    if (!db) throw new Error('The database connection is not open');
    return db;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
