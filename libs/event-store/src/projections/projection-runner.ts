import { Logger } from '@nestjs/common';
import type { Collection, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import type { Clock } from '../clock';
import { CheckpointConflictError, ProjectionWriterBusyError } from '../errors';
import type { EventStore } from '../event-store';
import { Lease } from '../leases/lease';
import { MongoLeaseStore, type LeaseStore } from '../leases/lease-store';
import { CheckpointStore, type Generation } from './checkpoint-store';
import { PositionWaiters } from './position-waiters';
import {
  generationCollection,
  isDurableProjection,
  Projection,
  ProjectionContext,
} from './projection';

/**
 * Where a runner keeps its position:
 * - `durable`: in `projection_checkpoints`, one checkpoint per generation of the read model. One
 *   process at a time writes it (the holder of the projection's writer lease); runners in other
 *   processes follow the checkpoint and serve the same collection. A restart resumes there.
 * - `memory`: in the runner only. Every start replays the log from position 0, the
 *   CheckpointStore is never touched, and a projection without `collectionBase` gets no collection.
 *   For read models kept in process memory (one copy per process, rebuilt at each start).
 */
export type CheckpointMode = 'durable' | 'memory';

export interface WriterLeaseOptions {
  /** How long the writer's claim lasts unless renewed: the takeover time after a crash. */
  ttlMs?: number;
  renewIntervalMs?: number;
  /** Where the lease records live; default the `leases` collection on the runner's connection. */
  store?: LeaseStore;
  clock?: Clock;
  owner?: string;
}

export interface ProjectionRunnerOptions {
  /** How long to sleep when caught up and no in-process append woke the runner. */
  pollIntervalMs?: number;
  /** Events applied per checkpoint. */
  batchSize?: number;
  /** Where the position is kept; `durable` unless told otherwise. */
  checkpoint?: CheckpointMode;
  /** The writer lease of a durable runner. */
  lease?: WriterLeaseOptions;
  /**
   * Used by rebuilds: write this (reserved) generation, from its checkpoint, without a lease and
   * without following swaps. The rebuild holds a lease of its own.
   */
  rebuildInto?: Generation;
}

const DEFAULT_POLL_INTERVAL_MS = 250;
const DEFAULT_BATCH_SIZE = 500;
export const DEFAULT_WRITER_LEASE_TTL_MS = 10_000;
/** Pause before re-reading a log read that overlapped a concurrent insert. */
const TORN_READ_RETRY_MS = 5;

/** `memory`; `rebuild`: a rebuild's fixed generation; `live`: durable, under the writer lease. */
type Mode = 'memory' | 'rebuild' | 'live';

/**
 * Runs one projection: catches up, then follows the log live (woken at once by appends made in
 * this process, polling for the others). Events are applied strictly in global order; the log is
 * contiguous, so a writer never skips a position.
 *
 * A durable runner writes only while it holds the projection's writer lease (`projection:<name>`).
 * It checks the lease (locally, no round trip) before every event it applies and stops within one
 * event of losing it. Without the lease it is a follower: it applies nothing, reads the checkpoint
 * the writer moves every poll interval, resolves its `waitFor` callers from it, and takes the lease
 * over when the writer's claim expires (crash) or is released (shutdown). Writer and followers
 * move to a newer generation (a rebuild's swap) when they see its marker: before every batch and
 * while idle.
 */
export class ProjectionRunner {
  private readonly logger: Logger;
  private readonly mode: Mode;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly lease?: Lease;
  /** The writer stops trusting its claim this long before it expires (clock skew, slow writes). */
  private readonly leaseMarginMs: number = 0;
  private position = 0;
  private generation = 1;
  /** Undefined for a projection without a collection (in memory). */
  private collectionName?: string;
  private writer: boolean;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private unsubscribe?: () => void;
  private torn = false;
  private applied = 0;
  private readonly waiters: PositionWaiters;

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly connection: Connection,
    private readonly projection: Projection,
    options: ProjectionRunnerOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.mode =
      options.checkpoint === 'memory' ? 'memory' : options.rebuildInto ? 'rebuild' : 'live';
    if (this.mode !== 'memory' && !isDurableProjection(projection)) {
      throw new Error(
        `Projection ${projection.name} has no collectionBase: a durable checkpoint needs a ` +
          `read-model collection; run it with checkpoint: 'memory'`,
      );
    }
    if (options.rebuildInto) {
      this.generation = options.rebuildInto.generation;
      this.collectionName = options.rebuildInto.collection;
    }
    if (this.mode === 'live') {
      const { store, ttlMs = DEFAULT_WRITER_LEASE_TTL_MS, ...leaseOptions } = options.lease ?? {};
      this.lease = new Lease(
        store ?? new MongoLeaseStore(connection),
        `projection:${projection.name}`,
        {
          ttlMs,
          ...leaseOptions,
        },
      );
      this.leaseMarginMs = Math.floor(ttlMs / 5);
    }
    this.writer = this.mode !== 'live';
    this.waiters = new PositionWaiters(projection.name);
    this.logger = new Logger(`Projection:${projection.name}`);
  }

  /** The position the read model reflects (applied here, or by the writer this runner follows). */
  get currentPosition(): number {
    return this.position;
  }

  /** Events applied by this runner since it was created. */
  get eventsApplied(): number {
    return this.applied;
  }

  /** Whether this runner applies events now (always, unless durable and following another). */
  get isWriter(): boolean {
    return this.writer;
  }

  /** The generation of the read model this runner serves. */
  get currentGeneration(): number {
    return this.generation;
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
    return this.mode === 'memory' ? 'memory' : 'durable';
  }

  /**
   * True once the read model has reflected the whole log at least once since the runner was
   * created: everything committed before that moment is in it.
   */
  get caughtUp(): boolean {
    return this.waiters.hasCaughtUp;
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.load();
    if (this.lease) await this.coordinate();
    this.running = true;
    this.unsubscribe = this.store.onAppended(() => this.wake?.());
    this.loop = this.run();
  }

  /** Stops following; a writer finishes its batch, then releases the lease to a follower. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wake?.();
    await this.loop;
    if (this.lease) await this.resign('stopping');
  }

  /**
   * Applies everything visible now, then returns (no live follow). A durable runner takes the
   * writer lease for it and gives it back after; it throws ProjectionWriterBusyError when another
   * process holds the lease.
   */
  async catchUp(): Promise<number> {
    await this.load();
    if (this.lease && !this.writer) {
      if (!(await this.lease.acquire())) {
        const holder = await this.lease.latest();
        throw new ProjectionWriterBusyError(this.projection.name, `held by ${holder?.owner}`);
      }
      await this.becomeWriter();
      this.lease.keep(() => undefined); // a loss shows in mayWrite, before the next event
    }
    try {
      while ((await this.step()) || this.torn) {
        if (this.torn) await delay(TORN_READ_RETRY_MS);
      }
      if (this.lease && !this.writer) {
        throw new ProjectionWriterBusyError(this.projection.name, 'the lease was lost mid-way');
      }
      this.waiters.markCaughtUp();
      return this.position;
    } finally {
      if (this.lease && this.writer && !this.running) await this.resign('caught up');
    }
  }

  /**
   * Resolves the first time the runner has caught up with the log (at once if it already has).
   * Never rejects and holds no timer: a runner that is stopped first leaves it pending.
   */
  whenCaughtUp(): Promise<void> {
    return this.waiters.whenCaughtUp();
  }

  /**
   * Resolves once the read model reflects `position` (read your writes); rejects with
   * ProjectionWaitTimeoutError after `timeoutMs`.
   */
  waitFor(position: number, timeoutMs = 10_000): Promise<void> {
    if (this.position >= position) return Promise.resolve();
    const reached = this.waiters.waitFor(position, timeoutMs);
    this.wake?.(); // a follower looks at the checkpoint now instead of at its next poll
    return reached;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (this.lease) await this.coordinate();
        if (!this.writer) {
          await this.follow();
          await this.sleep(this.pollIntervalMs);
          continue;
        }
        const progressed = await this.step();
        if (progressed) continue;
        if (!this.torn) this.waiters.markCaughtUp();
        await this.sleep(this.torn ? TORN_READ_RETRY_MS : this.pollIntervalMs);
      } catch (error) {
        this.logger.error(`projection failed, retrying: ${(error as Error).message}`);
        await this.sleep(Math.max(this.pollIntervalMs, 1000));
      }
    }
  }

  /**
   * Live runners, before every batch and every poll: take the writer lease when it is free, give
   * up writing when the claim runs out, and move to a newer generation when a rebuild swapped one
   * in.
   */
  private async coordinate(): Promise<void> {
    const lease = this.lease!;
    if (this.writer && !lease.isHeld(this.leaseMarginMs)) {
      this.logger.warn('the writer lease ran out or was taken over; following from now on');
      lease.stopKeeping();
      this.writer = false;
    }
    await this.followGeneration();
    if (!this.writer && (await lease.acquire())) {
      await this.becomeWriter();
      lease.keep(() => this.wake?.());
      this.logger.log(
        `writing generation ${this.generation} from position ${this.position} (lease epoch ${lease.epoch})`,
      );
    }
  }

  /** Takes over from the checkpoint the previous writer left. */
  private async becomeWriter(): Promise<void> {
    const name = this.projection.name;
    const current = await this.checkpoints.current(name, this.initialCollection());
    const checkpoint = await this.checkpoints.open(name, current);
    this.useGeneration(current, checkpoint.position);
    // A generation found without a marker (a fresh or upgraded database) is recorded as current,
    // so that from now on only inserted markers say which generation is current.
    if (!current.marked) await this.checkpoints.mark(name, current, checkpoint.position);
    if (this.position === 0) await this.projection.setup?.(this.collection);
    this.writer = true;
  }

  private async resign(why: string): Promise<void> {
    this.writer = false;
    await this.lease!.release().catch((error: unknown) => {
      this.logger.warn(`could not release the writer lease (${why}): ${(error as Error).message}`);
    });
  }

  /** A follower's poll: the position the writer reached, for the read side and the waiters. */
  private async follow(): Promise<void> {
    this.position = await this.checkpoints.position(this.projection.name, this.current());
    this.waiters.reached(this.position);
    if (!this.waiters.hasCaughtUp && this.position >= (await this.store.headPosition())) {
      this.waiters.markCaughtUp();
    }
  }

  /** One read-apply-checkpoint round. Returns whether the position moved. */
  private async step(): Promise<boolean> {
    const batch = await this.store.readLog(this.position, this.batchSize);
    this.torn = batch.torn && batch.commits.length === 0;
    if (batch.commits.length === 0) return false;
    const context = this.context();
    for (const event of this.store.eventsOf(batch.commits)) {
      if (!this.mayWrite()) return false;
      await this.projection.apply(event, context);
      this.applied++;
    }
    if (!this.mayWrite()) return false;
    if (this.mode !== 'memory' && !(await this.advanceCheckpoint(batch.position))) return true;
    this.position = batch.position;
    this.waiters.reached(this.position);
    return true;
  }

  /**
   * Moves this generation's checkpoint to `to`. False when another process had moved it: only a
   * writer whose lease ran out mid-batch does that, so the position is taken from the checkpoint.
   */
  private async advanceCheckpoint(to: number): Promise<boolean> {
    const name = this.projection.name;
    try {
      await this.checkpoints.advance(name, this.generation, this.position, to);
      return true;
    } catch (error) {
      if (!(error instanceof CheckpointConflictError) || this.mode !== 'live') throw error;
      this.logger.warn('the checkpoint was moved by another process; continuing from it');
      this.position = await this.checkpoints.position(name, this.current());
      this.waiters.reached(this.position);
      return false;
    }
  }

  /**
   * Whether the writer may go on: a live writer whose claim is about to run out stops at once
   * (its batch is not checkpointed; the next writer applies it again, idempotently).
   */
  private mayWrite(): boolean {
    if (!this.lease || this.lease.isHeld(this.leaseMarginMs)) return true;
    this.writer = false;
    this.lease.stopKeeping();
    return false;
  }

  /** Where a runner starts: its position and collection, before any lease is involved. */
  private async load(): Promise<void> {
    const name = this.projection.name;
    if (this.mode === 'memory') {
      this.position = 0;
      this.collectionName = isDurableProjection(this.projection)
        ? generationCollection(this.projection.collectionBase, 1)
        : undefined;
      if (this.collectionName !== undefined) await this.projection.setup?.(this.collection);
    } else if (this.mode === 'rebuild') {
      const checkpoint = await this.checkpoints.open(name, this.current());
      this.position = checkpoint.position;
      if (this.position === 0) await this.projection.setup?.(this.collection);
    } else {
      const current = await this.checkpoints.current(name, this.initialCollection());
      this.useGeneration(current, await this.checkpoints.position(name, current));
      this.waiters.reached(this.position);
    }
  }

  /**
   * Moves to a newer generation when its marker exists. A writer is between batches here, so it
   * continues in the new collection from the position the rebuild reached.
   */
  private async followGeneration(): Promise<void> {
    const name = this.projection.name;
    const current = await this.checkpoints.current(name, this.initialCollection());
    if (current.generation <= this.generation) return;
    const position = this.writer
      ? (await this.checkpoints.open(name, current)).position
      : await this.checkpoints.position(name, current);
    this.logger.log(
      `generation ${current.generation} (${current.collection}) is current now; moving to it`,
    );
    this.useGeneration(current, position);
    this.waiters.reached(this.position);
  }

  private useGeneration(generation: Generation, position: number): void {
    this.generation = generation.generation;
    this.collectionName = generation.collection;
    this.position = position;
  }

  private current(): Generation {
    return { generation: this.generation, collection: this.collectionName! };
  }

  private initialCollection(): string {
    return generationCollection(this.projection.collectionBase ?? '', 1);
  }

  /** What `apply` gets; without a collection, reading `collection` throws a clear error. */
  private context(): ProjectionContext {
    const rebuilding = this.mode === 'rebuild';
    if (this.collectionName !== undefined) return { collection: this.collection, rebuilding };
    const collection = () => this.collection;
    return {
      rebuilding,
      get collection(): Collection<Document> {
        return collection();
      },
    };
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
