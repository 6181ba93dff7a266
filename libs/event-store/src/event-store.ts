import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Collection } from 'mongodb';
import type { Connection, Model } from 'mongoose';
import type { Clock } from './clock';
import { ConcurrencyError, InvalidAppendError } from './errors';
import type {
  AppendResult,
  ExpectedVersion,
  NewEvent,
  ReadStreamOptions,
  StoredEvent,
} from './event.types';
import { bucketOf, CommitDocument, CommitSchema, PersistedEvent } from './storage/commit.schema';
import { isDuplicateKeyError } from './storage/mongo-errors';
import { UpcasterRegistry } from './upcasters';

/** A contiguous run of commits from the global log. */
export interface LogBatch {
  commits: CommitDocument[];
  /** The position after the last commit returned (== `after` when none). */
  position: number;
  /**
   * True when a later commit was seen but the next one was not: the read overlapped a concurrent
   * insert (a MongoDB cursor is not a snapshot). Read again; never skip ahead.
   */
  torn: boolean;
}

export interface EventStoreOptions {
  /**
   * Called after a commit's position is chosen and before it is inserted. For instrumentation and
   * fault injection (tests play a slow or dying writer with it); it must not write to the store.
   */
  beforeCommit?: (commit: Readonly<CommitDocument>) => Promise<void>;
}

/** Bounds the retries of one append that keeps losing its position or 'any' version to others. */
const MAX_APPEND_ATTEMPTS = 200;

/**
 * An append-only event store on MongoDB (or FerretDB), without transactions, change streams or
 * atomic updates (FerretDB has none of them; its inserts under a unique index are safe).
 *
 * - One append = one commit document holding all its events, so appends are atomic.
 * - Optimistic concurrency: the commit's `_id` and a unique index are (stream, first version), so
 *   exactly one writer commits each next version of a stream; the head check rejects stale expected
 *   versions up front, without writing.
 * - Global order without a counter: a commit claims its first position with the same insert that
 *   makes it visible (unique index on position), and a writer only ever tries "a visible commit's
 *   last position + 1". So positions are never taken-but-invisible, a writer that dies leaves no
 *   hole, and the visible log is always contiguous from 1: readers never wait on gaps.
 */
export class EventStore {
  private readonly commitModel: Model<CommitDocument>;
  private readonly commits: Collection<CommitDocument>;
  private readonly appended = new EventEmitter();
  /** Last position this process knows to be visible: where the next append starts looking. */
  private knownHead?: number;
  /**
   * Appends of this process claim positions one at a time, so they never collide with each other
   * (which would cost every loser a round trip); only other processes' appends can collide.
   */
  private claiming: Promise<unknown> = Promise.resolve();

  constructor(
    connection: Connection,
    private readonly clock: Clock,
    private readonly upcasters: UpcasterRegistry = new UpcasterRegistry(),
    private readonly options: EventStoreOptions = {},
  ) {
    // The model owns the schema and indexes; the hot paths use the typed driver collection.
    this.commitModel = connection.model<CommitDocument>('EventCommit', CommitSchema);
    this.commits = this.commitModel.collection as unknown as Collection<CommitDocument>;
    this.appended.setMaxListeners(0);
  }

  /** Creates the collection and its indexes. Idempotent; call once at start-up. */
  async init(): Promise<void> {
    await this.commitModel.createCollection().catch(ignoreAlreadyExists);
    await this.commitModel.createIndexes();
  }

  async append(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
  ): Promise<AppendResult> {
    validateAppend(streamId, expectedVersion, events);
    const claimed = this.claiming.then(() =>
      this.claimAndInsert(streamId, expectedVersion, events),
    );
    this.claiming = claimed.catch(() => undefined);
    return claimed;
  }

  private async claimAndInsert(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
  ): Promise<AppendResult> {
    let candidate = (this.knownHead ?? (await this.headPosition())) + 1;
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      const head = await this.streamVersion(streamId);
      if (expectedVersion !== 'any' && head !== expectedVersion) {
        throw new ConcurrencyError(streamId, expectedVersion, head);
      }
      const commit = this.buildCommit(streamId, head, candidate, events);
      await this.options.beforeCommit?.(commit);
      try {
        await this.commits.insertOne(commit);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // FerretDB does not say which index refused the insert, so look: our version, or our position?
        if (await this.commits.findOne({ _id: commit._id }, { projection: { _id: 1 } })) {
          if (expectedVersion !== 'any') {
            throw new ConcurrencyError(
              streamId,
              expectedVersion,
              await this.streamVersion(streamId),
            );
          }
          continue; // 'any' lost the race for this version: go again at the new head
        }
        candidate = (await this.visibleEndFrom(candidate)) + 1;
        continue;
      }
      this.knownHead = Math.max(this.knownHead ?? 0, commit.lastPosition);
      this.appended.emit('appended', commit.lastPosition);
      return {
        streamId,
        version: commit.toVersion,
        firstPosition: commit.position,
        lastPosition: commit.lastPosition,
        events: commit.events.map((event) =>
          this.toStoredEvent(streamId, commit.recordedAt, event),
        ),
      };
    }
    throw new Error(`Append to ${streamId} did not succeed after ${MAX_APPEND_ATTEMPTS} attempts`);
  }

  /** The stream's current version; 0 when it has no events. */
  async streamVersion(streamId: string): Promise<number> {
    const last = await this.commits.findOne(
      { streamId },
      { sort: { fromVersion: -1 }, projection: { toVersion: 1 } },
    );
    return last?.toVersion ?? 0;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const commits = await this.commits.find({ streamId }, { sort: { fromVersion: 1 } }).toArray();
    const from = options.fromVersion ?? 1;
    const to = options.toVersion ?? Number.MAX_SAFE_INTEGER;
    const asOf = options.asOf?.getTime() ?? Number.MAX_SAFE_INTEGER;
    const events: StoredEvent[] = [];
    for (const commit of commits) {
      if (commit.recordedAt.getTime() > asOf) break;
      for (const event of commit.events) {
        if (event.version >= from && event.version <= to) {
          events.push(this.toStoredEvent(streamId, commit.recordedAt, event));
        }
      }
    }
    return events;
  }

  /** Events after `afterPosition` in global order, with the position to continue from. */
  async readAll(
    afterPosition = 0,
    maxEvents = 1000,
  ): Promise<{ events: StoredEvent[]; position: number }> {
    let batch = await this.readLog(afterPosition, maxEvents);
    while (batch.torn) batch = await this.readLog(afterPosition, maxEvents);
    return { events: this.eventsOf(batch.commits), position: batch.position };
  }

  /**
   * The last position of the log. One indexed query on MongoDB; FerretDB sorts in its own process,
   * so callers on the hot path use the positions appends return instead.
   */
  async headPosition(): Promise<number> {
    const last = await this.commits.findOne(
      {},
      { sort: { position: -1 }, projection: { lastPosition: 1 } },
    );
    return last?.lastPosition ?? 0;
  }

  /**
   * Reads the commits that directly follow `after`, up to about `maxEvents` events, bucket by
   * bucket (equality on `bucket`, which FerretDB pushes down to its backend).
   */
  async readLog(after: number, maxEvents: number): Promise<LogBatch> {
    const commits: CommitDocument[] = [];
    let position = after;
    let eventCount = 0;
    for (;;) {
      const bucket = bucketOf(position + 1);
      const found = await this.commits
        .find({ bucket, position: { $gt: position } }, { sort: { position: 1 } })
        .toArray();
      for (const commit of found) {
        if (commit.position !== position + 1) return { commits, position, torn: true };
        commits.push(commit);
        position = commit.lastPosition;
        eventCount += commit.events.length;
        if (eventCount >= maxEvents) return { commits, position, torn: false };
      }
      // Go on to the next bucket only when this one was read to its end.
      if (bucketOf(position + 1) === bucket) return { commits, position, torn: false };
    }
  }

  /** Calls `listener` with the last position after every append made through this instance. */
  onAppended(listener: (position: number) => void): () => void {
    this.appended.on('appended', listener);
    return () => this.appended.off('appended', listener);
  }

  eventsOf(commits: readonly CommitDocument[]): StoredEvent[] {
    return commits.flatMap((commit) =>
      commit.events.map((event) => this.toStoredEvent(commit.streamId, commit.recordedAt, event)),
    );
  }

  /**
   * The last visible position at or after `position`, which is known to be taken: follows the
   * commits from there, a bucket at a time, to the end of the contiguous log.
   */
  private async visibleEndFrom(position: number): Promise<number> {
    const taken = await this.commits.findOne({ position }, { projection: { lastPosition: 1 } });
    const end = taken?.lastPosition ?? position - 1;
    const batch = await this.readLog(end, Number.MAX_SAFE_INTEGER);
    return batch.position;
  }

  private buildCommit(
    streamId: string,
    head: number,
    firstPosition: number,
    events: readonly NewEvent[],
  ): CommitDocument {
    const persisted: PersistedEvent[] = events.map((event, index) => ({
      id: event.id ?? randomUUID(),
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      version: head + index + 1,
      position: firstPosition + index,
      data: event.data,
      metadata: { ...event.metadata },
    }));
    return {
      _id: `${streamId}:${head + 1}`,
      streamId,
      fromVersion: head + 1,
      toVersion: head + events.length,
      position: firstPosition,
      lastPosition: firstPosition + events.length - 1,
      bucket: bucketOf(firstPosition),
      recordedAt: this.clock.now(),
      events: persisted,
    };
  }

  private toStoredEvent(streamId: string, recordedAt: Date, event: PersistedEvent): StoredEvent {
    const upcast = this.upcasters.upcast({
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
    });
    return {
      id: event.id,
      streamId,
      type: upcast.type,
      schemaVersion: upcast.schemaVersion,
      version: event.version,
      position: event.position,
      recordedAt,
      data: upcast.data,
      metadata: event.metadata,
    };
  }
}

function validateAppend(
  streamId: string,
  expectedVersion: ExpectedVersion,
  events: readonly NewEvent[],
): void {
  if (!streamId || streamId.startsWith('$') || streamId.length > 200) {
    throw new InvalidAppendError(`Invalid stream id "${streamId}"`);
  }
  if (expectedVersion !== 'any' && (!Number.isInteger(expectedVersion) || expectedVersion < 0)) {
    throw new InvalidAppendError(`Invalid expected version ${String(expectedVersion)}`);
  }
  if (events.length === 0) throw new InvalidAppendError('An append needs at least one event');
  for (const event of events) {
    if (!event.type) throw new InvalidAppendError('Every event needs a type');
    const { actor, correlationId, causationId } = event.metadata ?? {};
    if (!actor || !correlationId || !causationId) {
      throw new InvalidAppendError(
        `Event ${event.type} needs metadata.actor, metadata.correlationId and metadata.causationId`,
      );
    }
  }
}

function ignoreAlreadyExists(error: unknown): void {
  const code = (error as { code?: number; codeName?: string }).code;
  if (code !== 48) throw error; // NamespaceExists
}
