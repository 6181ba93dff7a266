import { Schema } from 'mongoose';
import type { EventMetadata } from '../event.types';

/**
 * The commits of the global log are read in buckets of this many sequence numbers, by equality on
 * `bucket`. MongoDB serves the same query from the {bucket, sequence} index; FerretDB pushes the
 * equality down to its backend instead of decoding the whole log on every read. Never change it
 * for an existing store: it is part of the stored data.
 */
export const LOG_BUCKET_SIZE = 1024;

export function bucketOf(sequence: number): number {
  return Math.floor((sequence - 1) / LOG_BUCKET_SIZE);
}

/**
 * An event's global position is its commit's sequence times this, plus its index in the commit:
 * unique and increasing, not dense. It is also the most events one append may hold.
 */
export const POSITIONS_PER_COMMIT = 1000;

export function positionOf(sequence: number, index: number): number {
  return sequence * POSITIONS_PER_COMMIT + index;
}

/** The sequence of the commit holding `position` (0 for position 0, before the first commit). */
export function sequenceOf(position: number): number {
  return Math.floor(position / POSITIONS_PER_COMMIT);
}

export interface PersistedEvent {
  id: string;
  type: string;
  schemaVersion: number;
  version: number;
  position: number;
  data: unknown;
  metadata: EventMetadata;
}

/**
 * One append is one document, so it is atomic without transactions: all of its events become
 * visible together or not at all.
 */
export interface CommitDocument {
  _id: string;
  streamId: string;
  fromVersion: number;
  toVersion: number;
  /** The commit's place in the global log: 1, 2, 3, ... without holes. */
  sequence: number;
  bucket: number;
  recordedAt: Date;
  events: PersistedEvent[];
}

export const CommitSchema = new Schema<CommitDocument>(
  {
    _id: { type: String, required: true },
    streamId: { type: String, required: true },
    fromVersion: { type: Number, required: true },
    toVersion: { type: Number, required: true },
    sequence: { type: Number, required: true },
    bucket: { type: Number, required: true },
    recordedAt: { type: Date, required: true },
    events: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'event_commits', versionKey: false, autoIndex: false, _id: false },
);
// Optimistic concurrency: at most one commit can start at a given version of a stream.
CommitSchema.index({ streamId: 1, fromVersion: 1 }, { unique: true, name: 'stream_version' });
// A commit claims its place in the global log by inserting under this index (see EventStore).
CommitSchema.index({ sequence: 1 }, { unique: true, name: 'sequence' });
CommitSchema.index({ bucket: 1, sequence: 1 }, { name: 'bucket_sequence' });
