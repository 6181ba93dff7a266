import type { Collection, Connection } from 'mongoose';
import { CheckpointConflictError } from '../errors';
import { isDuplicateKeyError } from '@app/platform';

/** A generation of a durable projection: its read model lives in `collection`. */
export interface Generation {
  generation: number;
  collection: string;
}

/**
 * How far one generation of a projection got. Written only by that generation's writer (a
 * rebuild while it builds the generation, then the live runner holding the projection's lease),
 * so its compare-and-set never races another writer, not even on FerretDB.
 */
export interface Checkpoint extends Generation {
  /** `<name>:g<generation>`. */
  _id: string;
  projection: string;
  /** Last global position applied. */
  position: number;
  updatedAt: Date;
}

/**
 * "Generation n of the projection is current": inserted once when a rebuild swaps it in (or when
 * a writer adopts the generation it found), never updated. The highest one is current, so a swap
 * cannot be undone by a concurrent write of anything else.
 */
export interface GenerationMarker extends Generation {
  /** `<name>:g<generation>`. */
  _id: string;
  projection: string;
  /** Where the generation's checkpoint stood when it became current. */
  position: number;
  createdAt: Date;
}

/**
 * The single checkpoint document of a database from before generation markers:
 * `{_id: name, position, generation, collection}`. Read, never written: it stands for the current
 * generation until the first marker exists.
 */
interface LegacyCheckpoint extends Generation {
  _id: string;
  position: number;
}

/** The current state of a projection as one record: for status output, tests and the CLI. */
export interface CurrentCheckpoint extends Generation {
  position: number;
}

export function checkpointId(name: string, generation: number): string {
  return `${name}:g${generation}`;
}

/**
 * Durable projection state: one checkpoint per generation in `projection_checkpoints`, and the
 * generation markers in `projection_generations`. Nothing here is a read-modify-write of a
 * document that two processes write: swaps are inserts, and each checkpoint has one writer.
 */
export class CheckpointStore {
  private readonly checkpoints: Collection<Checkpoint>;
  private readonly legacy: Collection<LegacyCheckpoint>;
  private readonly markers: Collection<GenerationMarker>;
  private indexed?: Promise<unknown>;

  constructor(connection: Connection) {
    this.checkpoints = connection.collection<Checkpoint>('projection_checkpoints');
    this.legacy = connection.collection<LegacyCheckpoint>('projection_checkpoints');
    this.markers = connection.collection<GenerationMarker>('projection_generations');
  }

  /**
   * The current generation: the highest marker; without one, the legacy checkpoint; without
   * that, generation 1 in `initialCollection`. `marked` says whether a marker records it.
   */
  async current(
    name: string,
    initialCollection: string,
  ): Promise<Generation & { marked: boolean }> {
    const marker = await this.highestMarker(name);
    if (marker) return { ...generationOf(marker), marked: true };
    const legacy = await this.legacy.findOne({ _id: name });
    if (legacy) return { ...generationOf(legacy), marked: false };
    return { generation: 1, collection: initialCollection, marked: false };
  }

  /**
   * The checkpoint of `generation`, created the first time: at the legacy checkpoint's position
   * when it stands for this generation (an upgraded database), else at 0. Created by insert, so two
   * processes opening it at once get the same document.
   */
  async open(name: string, generation: Generation): Promise<Checkpoint> {
    const id = checkpointId(name, generation.generation);
    const existing = await this.checkpoints.findOne({ _id: id });
    if (existing) return existing;
    const legacy = await this.legacy.findOne({ _id: name });
    const fromLegacy =
      legacy?.generation === generation.generation && legacy.collection === generation.collection;
    await this.insertIgnoringDuplicate(this.checkpoints, {
      _id: id,
      projection: name,
      ...generation,
      position: fromLegacy ? legacy.position : 0,
      updatedAt: new Date(),
    });
    const created = await this.checkpoints.findOne({ _id: id });
    if (!created) throw new Error(`Checkpoint ${id} vanished after being created`);
    return created;
  }

  /** The position written for `generation` (what a follower serves), 0 before its first write. */
  async position(name: string, generation: Generation): Promise<number> {
    const checkpoint = await this.checkpoints.findOne(
      { _id: checkpointId(name, generation.generation) },
      { projection: { position: 1 } },
    );
    if (checkpoint) return checkpoint.position;
    const legacy = await this.legacy.findOne({ _id: name });
    return legacy?.generation === generation.generation ? legacy.position : 0;
  }

  /**
   * Moves generation `generation` from `from` to `to`. Its only writer calls this; a mismatch
   * means another process wrote it after all (e.g. a writer whose lease ran out mid-batch).
   */
  async advance(name: string, generation: number, from: number, to: number): Promise<void> {
    const result = await this.checkpoints.updateOne(
      { _id: checkpointId(name, generation), position: from },
      { $set: { position: to, updatedAt: new Date() } },
    );
    if (result.matchedCount !== 1) throw new CheckpointConflictError(name);
  }

  /**
   * Reserves `generation` for a rebuild: inserts its checkpoint at position 0. False when it is
   * taken (another rebuild, or the leftovers of one that died).
   */
  async reserve(name: string, generation: Generation): Promise<boolean> {
    try {
      await this.checkpoints.insertOne({
        _id: checkpointId(name, generation.generation),
        projection: name,
        ...generation,
        position: 0,
        updatedAt: new Date(),
      });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Makes `generation` current (unless a higher one is): inserts its marker. Idempotent. */
  async mark(name: string, generation: Generation, position: number): Promise<void> {
    await this.ensureIndexes();
    await this.insertIgnoringDuplicate(this.markers, {
      _id: checkpointId(name, generation.generation),
      projection: name,
      ...generation,
      position,
      createdAt: new Date(),
    });
  }

  /** The current generation with its position; null when the projection has never run. */
  async get(name: string): Promise<CurrentCheckpoint | null> {
    const marker = await this.highestMarker(name);
    const legacy = marker ? null : await this.legacy.findOne({ _id: name });
    const first = marker || legacy ? null : await this.checkpoints.findOne({ _id: `${name}:g1` });
    const current = marker ?? legacy ?? first;
    if (!current) return null;
    const generation = generationOf(current);
    return { ...generation, position: await this.position(name, generation) };
  }

  private highestMarker(name: string): Promise<GenerationMarker | null> {
    // One marker per rebuild: the equality leaves a handful of rows for FerretDB to sort. (The
    // index comes with the first marker: reading creates nothing.)
    return this.markers.findOne({ projection: name }, { sort: { generation: -1 } });
  }

  private async insertIgnoringDuplicate<T extends { _id: string }>(
    collection: Collection<T>,
    document: T,
  ): Promise<void> {
    try {
      await collection.insertOne(document as never);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /** Once per store; a failure is retried by the next call. */
  private ensureIndexes(): Promise<unknown> {
    this.indexed ??= this.markers
      .createIndex({ projection: 1, generation: -1 }, { name: 'by_projection_generation' })
      .catch((error: unknown) => {
        this.indexed = undefined;
        throw error;
      });
    return this.indexed;
  }
}

function generationOf(document: Generation): Generation {
  return { generation: document.generation, collection: document.collection };
}
