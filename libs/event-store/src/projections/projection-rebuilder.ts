import { Logger } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { RebuildInProgressError } from '../errors';
import type { EventStore } from '../event-store';
import { Lease } from '../leases/lease';
import { MongoLeaseStore, type LeaseStore } from '../leases/lease-store';
import { CheckpointStore, type Generation } from './checkpoint-store';
import { DurableProjection, generationCollection, isDurableProjection } from './projection';
import {
  DEFAULT_WRITER_LEASE_TTL_MS,
  ProjectionRunner,
  ProjectionRunnerOptions,
} from './projection-runner';

export interface RebuildResult {
  projection: string;
  collection: string;
  previousCollection: string;
  generation: number;
  position: number;
  events: number;
  durationMs: number;
}

export interface RebuildOptions extends Pick<ProjectionRunnerOptions, 'batchSize'> {
  /** How long the previous collection stays after the swap (queries already on it finish). */
  dropDelayMs?: number;
  /** The rebuild lease's TTL: how long a crashed rebuild blocks the next one. */
  leaseTtlMs?: number;
  /** Where the rebuild lease lives; default the `leases` collection. */
  leases?: LeaseStore;
}

/** Generations tried past the current one when leftovers of dead rebuilds hold the next ones. */
const MAX_GENERATIONS_SKIPPED = 100;

/**
 * Rebuilds a projection from position zero into a fresh collection beside the live one, then
 * swaps it in by inserting a generation marker. Nothing the live writer writes is touched:
 *
 * 1. take the rebuild lease `projection-rebuild:<name>` (a second rebuild at the same time fails
 *    with RebuildInProgressError);
 * 2. reserve the next generation by inserting its checkpoint (a generation left behind by a dead
 *    rebuild is skipped: the next one is taken);
 * 3. build it (its own checkpoint, its own collection) while the live runner keeps serving;
 * 4. stop writing, insert the marker: from now on it is the current generation, and the live
 *    writer and its followers move to it before their next batch or at their next poll;
 * 5. only then schedule the drop of the previous collection, after `dropDelayMs`.
 */
export class ProjectionRebuilder {
  private readonly logger = new Logger(ProjectionRebuilder.name);

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly connection: Connection,
  ) {}

  async rebuild(
    projection: DurableProjection,
    options: RebuildOptions = {},
  ): Promise<RebuildResult> {
    if (!isDurableProjection(projection)) {
      const { name } = projection as { name: string };
      throw new Error(
        `Projection ${name} keeps its read model in memory (no collectionBase): restart its runner to rebuild it`,
      );
    }
    const started = Date.now();
    const lease = new Lease(
      options.leases ?? new MongoLeaseStore(this.connection),
      `projection-rebuild:${projection.name}`,
      { ttlMs: options.leaseTtlMs ?? DEFAULT_WRITER_LEASE_TTL_MS },
    );
    if (!(await lease.acquire())) {
      const holder = await lease.latest();
      throw new RebuildInProgressError(
        projection.name,
        `held by ${holder?.owner} until ${holder?.expiresAt.toISOString()}`,
      );
    }
    lease.keep(() => undefined); // a loss is noticed before the swap
    try {
      const live = await this.checkpoints.current(
        projection.name,
        generationCollection(projection.collectionBase, 1),
      );
      const target = await this.reserve(projection, live.generation + 1);
      // Leftovers of an interrupted rebuild are discarded: a rebuild always starts from zero.
      await this.drop(target.collection);

      const runner = new ProjectionRunner(
        this.store,
        this.checkpoints,
        this.connection,
        projection,
        {
          batchSize: options.batchSize,
          rebuildInto: target,
        },
      );
      const position = await runner.catchUp();
      if (!lease.isHeld()) {
        throw new RebuildInProgressError(
          projection.name,
          'this rebuild lost its lease while building (another rebuild may have started); nothing was swapped',
        );
      }
      await this.checkpoints.mark(projection.name, target, position);
      await this.scheduleDrop(live.collection, options.dropDelayMs ?? 5000);

      const result: RebuildResult = {
        projection: projection.name,
        collection: target.collection,
        previousCollection: live.collection,
        generation: target.generation,
        position,
        events: runner.eventsApplied,
        durationMs: Date.now() - started,
      };
      this.logger.log(
        `rebuilt ${projection.name} into ${target.collection} up to position ${position} in ${result.durationMs} ms`,
      );
      return result;
    } finally {
      await lease.release();
    }
  }

  /** Reserves the first free generation from `first` on, by inserting its checkpoint. */
  private async reserve(projection: DurableProjection, first: number): Promise<Generation> {
    for (let generation = first; generation < first + MAX_GENERATIONS_SKIPPED; generation++) {
      const candidate = {
        generation,
        collection: generationCollection(projection.collectionBase, generation),
      };
      if (await this.checkpoints.reserve(projection.name, candidate)) return candidate;
      // Only a rebuild that died (or lost its lease) leaves a reserved generation without a
      // marker; we hold the lease now, so it will never swap it in.
      this.logger.warn(`generation ${generation} was left by an unfinished rebuild; skipping it`);
      await this.drop(candidate.collection);
    }
    throw new Error(
      `Projection ${projection.name}: no free generation in ${MAX_GENERATIONS_SKIPPED} after ${first - 1}`,
    );
  }

  /** Drops `collection` after `delayMs`, on a timer that keeps no process alive; at once for 0. */
  private async scheduleDrop(collection: string, delayMs: number): Promise<void> {
    if (delayMs <= 0) return this.drop(collection);
    setTimeout(() => void this.drop(collection), delayMs).unref();
  }

  private async drop(collection: string): Promise<void> {
    const db = this.connection.db;
    if (!db) throw new Error('The database connection is not open');
    await db.dropCollection(collection).catch(() => undefined /* not there */);
  }
}
