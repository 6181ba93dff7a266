import type { Collection, Connection } from 'mongoose';
import { CheckpointConflictError } from '../errors';

export interface Checkpoint {
  _id: string;
  /** Last global position applied. */
  position: number;
  /** Bumped by each rebuild swap; a runner holding an older generation must reload. */
  generation: number;
  /** The read-model collection of this generation. */
  collection: string;
  updatedAt: Date;
}

/** Durable projection checkpoints, moved only by compare-and-set. */
export class CheckpointStore {
  private readonly checkpoints: Collection<Checkpoint>;

  constructor(connection: Connection) {
    this.checkpoints = connection.collection<Checkpoint>('projection_checkpoints');
  }

  /** The checkpoint of `name`, created at position 0 and generation 1 the first time. */
  async load(name: string, initialCollection: string): Promise<Checkpoint> {
    await this.checkpoints.updateOne(
      { _id: name },
      {
        $setOnInsert: {
          position: 0,
          generation: 1,
          collection: initialCollection,
          updatedAt: new Date(),
        },
      },
      { upsert: true },
    );
    const checkpoint = await this.checkpoints.findOne({ _id: name });
    if (!checkpoint) throw new Error(`Checkpoint ${name} vanished after being created`);
    return checkpoint;
  }

  async get(name: string): Promise<Checkpoint | null> {
    return this.checkpoints.findOne({ _id: name });
  }

  /** Moves the checkpoint from `from` to `to` if nobody else moved it or swapped its generation. */
  async advance(name: string, generation: number, from: number, to: number): Promise<void> {
    const result = await this.checkpoints.updateOne(
      { _id: name, generation, position: from },
      { $set: { position: to, updatedAt: new Date() } },
    );
    if (result.matchedCount !== 1) throw new CheckpointConflictError(name);
  }

  /** Points `name` at a rebuilt collection, if its generation is still `expectedGeneration`. */
  async swap(
    name: string,
    expectedGeneration: number,
    collection: string,
    position: number,
  ): Promise<Checkpoint> {
    const result = await this.checkpoints.updateOne(
      { _id: name, generation: expectedGeneration },
      {
        $set: { generation: expectedGeneration + 1, collection, position, updatedAt: new Date() },
      },
    );
    if (result.matchedCount !== 1) throw new CheckpointConflictError(name);
    const checkpoint = await this.checkpoints.findOne({ _id: name });
    if (!checkpoint) throw new CheckpointConflictError(name);
    return checkpoint;
  }

  async delete(name: string): Promise<void> {
    await this.checkpoints.deleteOne({ _id: name });
  }
}
