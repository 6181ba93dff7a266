import type { StoredEvent } from '../event.types';
import { applyOnce } from '../projections/apply-once';
import type { Projection, ProjectionContext } from '../projections/projection';

/**
 * Test projection: keeps one document per stream (event count, last type), idempotently, and
 * records every event it is handed, so tests can check order and exactly-once delivery.
 */
export class RecordingProjection implements Projection {
  readonly seen: StoredEvent[] = [];

  constructor(
    readonly name = 'stream-summary',
    readonly collectionBase = 'rm_stream_summary',
  ) {}

  async apply(event: StoredEvent, { collection }: ProjectionContext): Promise<void> {
    this.seen.push(event);
    await applyOnce(
      collection,
      event.streamId,
      event.position,
      { $inc: { events: 1 }, $set: { lastType: event.type, version: event.version } },
      { upsert: true },
    );
  }
}
