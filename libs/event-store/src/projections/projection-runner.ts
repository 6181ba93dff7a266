import { Logger } from '@nestjs/common';
import type { Collection, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { CheckpointConflictError } from '../errors';
import type { EventStore } from '../event-store';
import { CheckpointStore } from './checkpoint-store';
import {
  generationCollection,
  isDurableProjection,
  Projection,
  ProjectionContext,
} from './projection';

/**
 * Where a runner keeps its position:
 * - `durable`: in `projection_checkpoints`, moved by compare-and-set; a restart resumes there, and
 *   the checkpoint names the read-model collection (which rebuilds swap);
 * - `memory`: in the runner only. Every start replays the log from position 0, the
 *   CheckpointStore is never touched, and a projection without `collectionBase` gets no collection.
 *   For read models kept in process memory (one copy per process, rebuilt at each start).
 */
export type CheckpointMode = 'durable' | 'memory';

export interface ProjectionRunnerOptions {
  /** How long to sleep when caught up and no in-process append woke the runner. */
  pollIntervalMs?: number;
  /** Events applied per checkpoint. */
  batchSize?: number;
  /** Where the position is kept; `durable` unless told otherwise. */
  checkpoint?: CheckpointMode;
  /** Checkpoint id, when it differs from the projection name (rebuilds run under their own id). */
  checkpointName?: string;
  /** Write to this collection instead of the checkpoint's: used by rebuilds. */
  fixedCollection?: string;
  rebuilding?: boolean;
}

const DEFAULTS = { pollIntervalMs: 250, batchSize: 500, checkpoint: 'durable' as CheckpointMode };
/** Pause before re-reading a log read that overlapped a concurrent insert. */
const TORN_READ_RETRY_MS = 5;

/**
 * Runs one projection: catches up from its checkpoint, then follows the log live (woken at once by
 * appends made in this process, polling for the others). Events are applied strictly in global
 * order; the log is contiguous, so the runner never skips a position. Durable checkpoints move by
 * compare-and-set: a runner that loses (another runner, a rebuild swap) reloads and goes on. While
 * idle, a durable runner also checks whether a rebuild swapped its checkpoint, so it follows a swap
 * even when no new event arrives.
 */
export class ProjectionRunner {
  private readonly logger: Logger;
  private readonly options: Required<Omit<ProjectionRunnerOptions, 'fixedCollection'>> &
    Pick<ProjectionRunnerOptions, 'fixedCollection'>;
  private readonly checkpointName: string;
  private position = 0;
  private generation = 1;
  /** Undefined for a projection without a collection (in memory). */
  private collectionName?: string;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private unsubscribe?: () => void;
  private torn = false;
  private applied = 0;
  private readonly waiters = new Set<{ position: number; resolve: () => void }>();
  private hasCaughtUp = false;
  private readonly caughtUpWaiters: (() => void)[] = [];
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
    if (
      this.options.checkpoint === 'durable' &&
      this.options.fixedCollection === undefined &&
      !isDurableProjection(projection)
    ) {
      throw new Error(
        `Projection ${projection.name} has no collectionBase: a durable checkpoint needs a ` +
          `read-model collection; run it with checkpoint: 'memory'`,
      );
    }
    this.logger = new Logger(`Projection:${this.checkpointName}`);
  }

  get currentPosition(): number {
    return this.position;
  }

  /** Events applied by this runner since it was created. */
  get eventsApplied(): number {
    return this.applied;
  }

  /** The collection the read side should query. Throws if the projection has none (in memory). */
  get collection(): Collection<Document> {
    if (this.collectionName === undefined) {
      throw new Error(
        `Projection ${this.projection.name} has no read-model collection (it declares no ` +
          `collectionBase and keeps its read model in memory)`,
      );
    }
    return this.db().collection(this.collectionName);
  }

  /** Where the position is kept. */
  get checkpointMode(): CheckpointMode {
    return this.options.checkpoint;
  }

  /**
   * True once the runner has found nothing more to read at least once since it was created: its
   * read model then reflects everything committed before that moment.
   */
  get caughtUp(): boolean {
    return this.hasCaughtUp;
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
    this.markCaughtUp();
    return this.position;
  }

  /**
   * Resolves the first time the runner has caught up with the log (at once if it already has).
   * Never rejects and holds no timer: a runner that is stopped first leaves it pending.
   */
  whenCaughtUp(): Promise<void> {
    if (this.hasCaughtUp) return Promise.resolve();
    return new Promise((resolve) => this.caughtUpWaiters.push(resolve));
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
        if (!this.torn) {
          this.markCaughtUp();
          await this.followSwap();
        }
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
      const context = this.context();
      for (const event of this.store.eventsOf(batch.commits)) {
        await this.projection.apply(event, context);
        this.applied++;
      }
      if (this.options.checkpoint === 'durable') {
        await this.checkpoints.advance(
          this.checkpointName,
          this.generation,
          this.position,
          batch.position,
        );
      }
      this.position = batch.position;
      this.notifyWaiters();
      return true;
    }
    return false;
  }

  private async load(): Promise<void> {
    if (this.options.checkpoint === 'memory') {
      this.position = 0;
      this.collectionName =
        this.options.fixedCollection ??
        (isDurableProjection(this.projection)
          ? generationCollection(this.projection.collectionBase, 1)
          : undefined);
    } else {
      const checkpoint = await this.checkpoints.load(
        this.checkpointName,
        // The constructor made sure that one of the two exists.
        this.options.fixedCollection ??
          generationCollection(this.projection.collectionBase ?? '', 1),
      );
      this.position = checkpoint.position;
      this.generation = checkpoint.generation;
      this.collectionName = this.options.fixedCollection ?? checkpoint.collection;
    }
    if (this.position === 0 && this.collectionName !== undefined) {
      await this.projection.setup?.(this.collection);
    }
  }

  /**
   * While idle, a live durable runner looks whether a rebuild swapped its checkpoint to a new
   * generation, and moves to it: without this it would only notice at its next checkpoint, i.e.
   * at the next event, and keep serving the old collection (which the rebuild drops) until then.
   */
  private async followSwap(): Promise<void> {
    if (this.options.checkpoint !== 'durable' || this.options.fixedCollection !== undefined) return;
    const checkpoint = await this.checkpoints.get(this.checkpointName);
    if (checkpoint && checkpoint.generation !== this.generation) {
      this.logger.log(
        `checkpoint swapped to generation ${checkpoint.generation} (${checkpoint.collection}); reloading`,
      );
      await this.load();
    }
  }

  /** What `apply` gets; without a collection, reading `collection` throws a clear error. */
  private context(): ProjectionContext {
    const rebuilding = this.options.rebuilding;
    if (this.collectionName !== undefined) return { collection: this.collection, rebuilding };
    const collection = () => this.collection;
    return {
      rebuilding,
      get collection(): Collection<Document> {
        return collection();
      },
    };
  }

  private markCaughtUp(): void {
    if (this.hasCaughtUp) return;
    this.hasCaughtUp = true;
    for (const resolve of this.caughtUpWaiters.splice(0)) resolve();
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
