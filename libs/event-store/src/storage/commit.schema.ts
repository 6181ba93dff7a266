import { Schema } from 'mongoose';
import type { EventMetadata } from '../event.types';

/**
 * The commits of the global log are read in buckets of this many positions, by equality on
 * `bucket`. MongoDB serves the same query from the {bucket, position} index; FerretDB pushes the
 * equality down to its backend instead of decoding the whole log on every read. Never change it
 * for an existing store: it is part of the stored data.
 */
export const LOG_BUCKET_SIZE = 1024;

export function bucketOf(position: number): number {
  return Math.floor((position - 1) / LOG_BUCKET_SIZE);
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
  position: number;
  lastPosition: number;
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
    position: { type: Number, required: true },
    lastPosition: { type: Number, required: true },
    bucket: { type: Number, required: true },
    recordedAt: { type: Date, required: true },
    events: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'event_commits', versionKey: false, autoIndex: false, _id: false },
);
// Optimistic concurrency: at most one commit can start at a given version of a stream.
CommitSchema.index({ streamId: 1, fromVersion: 1 }, { unique: true, name: 'stream_version' });
// A commit claims its first global position by inserting under this index (see EventStore).
CommitSchema.index({ position: 1 }, { unique: true, name: 'position' });
CommitSchema.index({ bucket: 1, position: 1 }, { name: 'bucket_position' });
