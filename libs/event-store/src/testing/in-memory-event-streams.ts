import { FixedClock, type Clock } from '../clock';
import { ConcurrencyError, InvalidAppendError } from '../errors';
import type {
  AppendResult,
  ExpectedVersion,
  NewEvent,
  ReadStreamOptions,
  StoredEvent,
} from '../event.types';
import type { EventStreamStore } from '../deciders/event-stream-store';

/**
 * Streams in memory with the EventStore's contract for reading a stream and appending to it: an
 * append at a stale expected version writes nothing and throws a ConcurrencyError; positions
 * follow the store's `commit * 1000 + index`. `beforeAppend` lets a test play another writer
 * between a command's load and its append.
 */
export class InMemoryEventStreams implements EventStreamStore {
  beforeAppend?: (streamId: string) => Promise<void>;
  private readonly streams = new Map<string, StoredEvent[]>();
  private commits = 0;

  constructor(private readonly clock: Clock = new FixedClock()) {}

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const { fromVersion = 1, toVersion = Number.MAX_SAFE_INTEGER, asOf } = options;
    const events = this.eventsOf(streamId).filter(
      (event) =>
        event.version >= fromVersion &&
        event.version <= toVersion &&
        (!asOf || event.recordedAt.getTime() <= asOf.getTime()),
    );
    return Promise.resolve(events);
  }

  async append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
  ): Promise<AppendResult> {
    await this.beforeAppend?.(streamId);
    return this.appendNow(streamId, expectedVersion, events);
  }

  /** Appends without `beforeAppend`: how a test writes as "the other writer". */
  appendNow(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
  ): AppendResult {
    if (events.length === 0) throw new InvalidAppendError('An append needs at least one event');
    const stream = this.eventsOf(streamId);
    if (expectedVersion !== 'any' && expectedVersion !== stream.length) {
      throw new ConcurrencyError(streamId, expectedVersion, stream.length);
    }
    const commit = ++this.commits;
    const recordedAt = this.clock.now();
    const stored = events.map((event, index): StoredEvent => ({
      id: event.id ?? `${streamId}:${stream.length + index + 1}`,
      streamId,
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      version: stream.length + index + 1,
      position: commit * 1000 + index,
      recordedAt,
      data: event.data,
      metadata: { ...event.metadata },
    }));
    this.streams.set(streamId, [...stream, ...stored]);
    return {
      streamId,
      version: stream.length + stored.length,
      firstPosition: stored[0].position,
      lastPosition: stored[stored.length - 1].position,
      events: stored,
    };
  }

  eventsOf(streamId: string): StoredEvent[] {
    return [...(this.streams.get(streamId) ?? [])];
  }
}
