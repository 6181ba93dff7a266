import type { Collection, Document } from 'mongodb';
import type { StoredEvent } from '../event.types';

export interface ProjectionContext {
  /** The read-model collection this run writes to (the live one, or a rebuild's fresh one). */
  collection: Collection<Document>;
  /** True while a rebuild replays history: projections must never cause side effects anyway. */
  rebuilding: boolean;
}

/**
 * A named read model built from the global log. `apply` must be idempotent: the runner applies
 * each event once in global order, but after a crash between applying and checkpointing it applies
 * the last batch again. Store the last applied position in each document and update conditionally
 * (see `applyOnce`).
 */
export interface Projection {
  readonly name: string;
  /** Base name of the read-model collection; generations are suffixed `_g<n>`. */
  readonly collectionBase: string;
  /** Creates the read model's indexes on a fresh collection. */
  setup?(collection: Collection<Document>): Promise<void>;
  apply(event: StoredEvent, context: ProjectionContext): Promise<void>;
}

export function generationCollection(base: string, generation: number): string {
  return `${base}_g${generation}`;
}
