import type { Collection, Document } from 'mongodb';
import type { StoredEvent } from '../event.types';

export interface ProjectionContext {
  /**
   * The read-model collection this run writes to (the live one, or a rebuild's fresh one). A
   * projection without a `collectionBase` has none: reading this then throws, naming the projection.
   */
  readonly collection: Collection<Document>;
  /** True while a rebuild replays history: projections must never cause side effects anyway. */
  readonly rebuilding: boolean;
}

/**
 * A named read model built from the global log. `apply` must be idempotent: the runner applies
 * each event once in global order, but after a crash between applying and checkpointing it applies
 * the last batch again, and a runner with an in-memory checkpoint replays from zero on every start.
 * Store the last applied position in each document and update conditionally (see `applyOnce`).
 *
 * A projection that keeps its read model in process memory (e.g. an index the worker matches
 * against) declares no `collectionBase` and runs with `checkpoint: 'memory'`: the runner then
 * neither creates nor resolves a collection for it.
 */
export interface Projection {
  readonly name: string;
  /** Base name of the read-model collection; generations are suffixed `_g<n>`. None: in memory. */
  readonly collectionBase?: string;
  /** Creates the read model's indexes on a fresh collection (only called when there is one). */
  setup?(collection: Collection<Document>): Promise<void>;
  apply(event: StoredEvent, context: ProjectionContext): Promise<void>;
}

/** A projection with a read-model collection: what durable checkpoints and rebuilds need. */
export type DurableProjection = Projection & { readonly collectionBase: string };

export function isDurableProjection(projection: Projection): projection is DurableProjection {
  return typeof projection.collectionBase === 'string' && projection.collectionBase !== '';
}

export function generationCollection(base: string, generation: number): string {
  return `${base}_g${generation}`;
}
