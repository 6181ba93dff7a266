import { Logger } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { EventStore } from '../event-store';
import { CheckpointStore } from './checkpoint-store';
import { DurableProjection, generationCollection, isDurableProjection } from './projection';
import { ProjectionRunner, ProjectionRunnerOptions } from './projection-runner';

export interface RebuildResult {
  projection: string;
  collection: string;
  previousCollection: string;
  generation: number;
  position: number;
  events: number;
  durationMs: number;
}

/**
 * Rebuilds a projection from position zero into a fresh collection beside the live one, then swaps
 * it in with a compare-and-set on the checkpoint. The live runner keeps serving the old collection
 * until the swap; on its next checkpoint it sees the new generation and continues there. The old
 * collection is dropped after `dropDelayMs`, so that queries already resolved to it can finish.
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
    options: Pick<ProjectionRunnerOptions, 'batchSize'> & { dropDelayMs?: number } = {},
  ): Promise<RebuildResult> {
    if (!isDurableProjection(projection)) {
      const { name } = projection as { name: string };
      throw new Error(
        `Projection ${name} keeps its read model in memory (no collectionBase): restart its runner to rebuild it`,
      );
    }
    const started = Date.now();
    const live = await this.checkpoints.load(
      projection.name,
      generationCollection(projection.collectionBase, 1),
    );
    const generation = live.generation + 1;
    const target = generationCollection(projection.collectionBase, generation);
    const rebuildCheckpoint = `${projection.name}~rebuild`;
    // Leftovers of an interrupted rebuild are discarded: a rebuild always starts from zero.
    await this.checkpoints.delete(rebuildCheckpoint);
    await this.db()
      .dropCollection(target)
      .catch(() => undefined);

    const runner = new ProjectionRunner(this.store, this.checkpoints, this.connection, projection, {
      ...options,
      checkpointName: rebuildCheckpoint,
      fixedCollection: target,
      rebuilding: true,
    });
    const position = await runner.catchUp();
    await this.checkpoints.swap(projection.name, live.generation, target, position);
    await this.checkpoints.delete(rebuildCheckpoint);
    this.scheduleDrop(live.collection, options.dropDelayMs ?? 5000);

    const result: RebuildResult = {
      projection: projection.name,
      collection: target,
      previousCollection: live.collection,
      generation,
      position,
      events: runner.eventsApplied,
      durationMs: Date.now() - started,
    };
    this.logger.log(
      `rebuilt ${projection.name} into ${target} up to position ${position} in ${result.durationMs} ms`,
    );
    return result;
  }

  private scheduleDrop(collection: string, delayMs: number): void {
    const drop = () =>
      this.db()
        .dropCollection(collection)
        .catch(() => undefined);
    if (delayMs <= 0) {
      void drop();
      return;
    }
    setTimeout(() => void drop(), delayMs).unref();
  }

  private db() {
    const db = this.connection.db;
    if (!db) throw new Error('The database connection is not open');
    return db;
  }
}
