import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Collection } from 'mongodb';
import type { Connection, Model } from 'mongoose';
import type { Clock } from './clock';
import { AppendContentionError, ConcurrencyError, InvalidAppendError } from './errors';
import type {
  AppendResult,
  ExpectedVersion,
  NewEvent,
  ReadStreamOptions,
  StoredEvent,
} from './event.types';
import {
  bucketOf,
  CommitDocument,
  CommitSchema,
  PersistedEvent,
  POSITIONS_PER_COMMIT,
  positionOf,
  sequenceOf,
} from './storage/commit.schema';
import { isDuplicateKeyError } from '@app/platform';
import { UpcasterRegistry } from './upcasters';

/** A contiguous run of commits from the global log. */
export interface LogBatch {
  commits: CommitDocument[];
  /** The position of the last event returned (== `after` when none): where to continue from. */
  position: number;
  /**
   * True when a later commit was seen but the next one was not: the read overlapped a concurrent
   * insert (a MongoDB cursor is not a snapshot). Read again; never skip ahead.
   */
  torn: boolean;
}

export interface EventStoreOptions {
  /**
   * Called after a commit's sequence is chosen and before it is inserted, once per attempt. For
   * instrumentation and fault injection (tests play a slow or dying writer); it must not write.
   */
  beforeCommit?: (commit: Readonly<CommitDocument>) => Promise<void>;
}

/** How long one append may keep losing its place (or its 'any' version) to other writers. */
const APPEND_CONTENTION_TIMEOUT_MS = 30_000;
/** Lost races in a row after which a writer looks for the log's end instead of stepping by one. */
const BLIND_STEPS = 4;
/** Commits a log read fetches one by one (point lookups) before it reads whole buckets. */
const TAIL_PROBES = 8;

/**
 * An append-only event store on MongoDB (or FerretDB), without transactions, change streams or
 * atomic updates (FerretDB has none of them; its inserts under a unique index are safe).
 *
 * - One append = one commit document holding all its events, so appends are atomic.
 * - Optimistic concurrency: the commit's `_id` and a unique index are (stream, first version), so
 *   exactly one writer commits each next version of a stream; the head check rejects stale expected
 *   versions up front, without writing.
 * - Global order without a counter: each commit takes the next `sequence` with the same insert
 *   that makes it visible (unique index), and a writer only tries "a visible sequence + 1". So no
 *   sequence is ever taken-but-invisible, a writer that dies leaves no hole, and the visible log is
 *   contiguous from 1: readers never wait on gaps. Events are positioned `sequence * 1000 + index`.
 */
export class EventStore {
  private readonly commitModel: Model<CommitDocument>;
  private readonly commits: Collection<CommitDocument>;
  private readonly appended = new EventEmitter();
  /** Last sequence this process knows to be visible: where its next append starts. */
  private knownSequence?: number;
  /**
   * Appends of this process claim sequences one at a time, so they never collide with each other;
   * only other processes' appends can.
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
    let head = await this.streamVersion(streamId);
    if (expectedVersion !== 'any' && head !== expectedVersion) {
      throw new ConcurrencyError(streamId, expectedVersion, head);
    }
    let candidate = (await this.visibleEnd(this.knownSequence ?? 0)) + 1;
    const deadline = Date.now() + APPEND_CONTENTION_TIMEOUT_MS;
    for (let attempt = 1; ; attempt++) {
      const commit = this.buildCommit(streamId, head, candidate, events);
      await this.options.beforeCommit?.(commit);
      try {
        await this.commits.insertOne(commit);
        this.knownSequence = Math.max(this.knownSequence ?? 0, commit.sequence);
        const result = this.appendResult(commit);
        this.appended.emit('appended', result.lastPosition);
        return result;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      if (Date.now() > deadline) throw new AppendContentionError(streamId, attempt);
      if (attempt % BLIND_STEPS !== 0) {
        // Most likely another process took this sequence, so it is visible: the next one is fair
        // game, one round trip, as fast as the writer that beat us. Had our version been taken
        // instead, every insert fails on `_id` until the check below: nothing can be written.
        candidate++;
        continue;
      }
      // FerretDB does not say which unique index refused the insert, so look.
      const versionTaken = await this.commits.findOne(
        { _id: commit._id },
        { projection: { _id: 1 } },
      );
      if (versionTaken) {
        head = await this.streamVersion(streamId);
        if (expectedVersion !== 'any') throw new ConcurrencyError(streamId, expectedVersion, head);
        // The blind steps may have gone past the log's end: restart from a known-visible place.
        candidate = (await this.visibleEnd(this.knownSequence ?? 0)) + 1;
      } else {
        // Every refusal was a taken sequence, so `candidate` is visible: catch up to the end.
        this.knownSequence = Math.max(this.knownSequence ?? 0, candidate);
        candidate = (await this.visibleEnd(candidate)) + 1;
      }
    }
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
   * The position of the last event in the log (0 when empty). `known` is a position the caller
   * has already read, the last event of its commit (a projection's position): the search then
   * starts there, so when nothing was appended since it costs one point lookup, and otherwise
   * O(log of what was).
   */
  async headPosition(known = 0): Promise<number> {
    const knownSequence = sequenceOf(known);
    const end = await this.visibleEnd(knownSequence);
    if (end === knownSequence && known > 0) return known;
    const last = await this.commits.findOne(
      { sequence: end },
      { projection: { sequence: 1, events: 1 } },
    );
    return last ? positionOf(last.sequence, last.events.length - 1) : 0;
  }

  /**
   * Reads the commits that directly follow the one holding `after`, up to about `maxEvents`
   * events (never splitting a commit). First one by one, by equality on `sequence`: a reader at
   * the log's end (a projection following it live) then pays one point lookup per new commit,
   * where the bucket read below would have FerretDB decode the rest of the bucket, up to 1,023
   * commits, on every poll. A reader further behind goes on bucket by bucket: equality on
   * `bucket`, which FerretDB pushes down to its backend.
   */
  async readLog(after: number, maxEvents: number): Promise<LogBatch> {
    const commits: CommitDocument[] = [];
    let sequence = sequenceOf(after);
    let position = after;
    let eventCount = 0;
    for (let probe = 0; probe < TAIL_PROBES; probe++) {
      const next = await this.commits.findOne({ sequence: sequence + 1 });
      // Missing: the end of the visible log (the log is contiguous, so nothing after it is visible).
      if (!next) return { commits, position, torn: false };
      commits.push(next);
      sequence = next.sequence;
      position = positionOf(sequence, next.events.length - 1);
      eventCount += next.events.length;
      if (eventCount >= maxEvents) return { commits, position, torn: false };
    }
    for (;;) {
      const bucket = bucketOf(sequence + 1);
      const found = await this.commits
        .find({ bucket, sequence: { $gt: sequence } }, { sort: { sequence: 1 } })
        .toArray();
      for (const commit of found) {
        if (commit.sequence !== sequence + 1) return { commits, position, torn: true };
        commits.push(commit);
        sequence = commit.sequence;
        position = positionOf(sequence, commit.events.length - 1);
        eventCount += commit.events.length;
        if (eventCount >= maxEvents) return { commits, position, torn: false };
      }
      // Go on to the next bucket only when this one was read to its end.
      if (bucketOf(sequence + 1) === bucket) return { commits, position, torn: false };
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
   * The last visible sequence at or after `from` (which is visible, or 0), by galloping then
   * bisecting over point lookups: O(log distance) cheap equality queries, which FerretDB pushes
   * down, instead of reading whole buckets. Races with inserts can only make the answer a little
   * low, never past the end: it only returns a sequence it saw.
   */
  private async visibleEnd(from: number): Promise<number> {
    let seen = from;
    let step = 1;
    while (await this.sequenceExists(seen + step)) {
      seen += step;
      step *= 2;
    }
    let missing = seen + step;
    while (missing - seen > 1) {
      const middle = Math.floor((seen + missing) / 2);
      if (await this.sequenceExists(middle)) seen = middle;
      else missing = middle;
    }
    return seen;
  }

  private async sequenceExists(sequence: number): Promise<boolean> {
    return (await this.commits.findOne({ sequence }, { projection: { _id: 1 } })) !== null;
  }

  private appendResult(commit: CommitDocument): AppendResult {
    const events = commit.events.map((event) =>
      this.toStoredEvent(commit.streamId, commit.recordedAt, event),
    );
    return {
      streamId: commit.streamId,
      version: commit.toVersion,
      firstPosition: events[0].position,
      lastPosition: events[events.length - 1].position,
      events,
    };
  }

  private buildCommit(
    streamId: string,
    head: number,
    sequence: number,
    events: readonly NewEvent[],
  ): CommitDocument {
    const persisted: PersistedEvent[] = events.map((event, index) => ({
      id: event.id ?? randomUUID(),
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      version: head + index + 1,
      position: positionOf(sequence, index),
      data: event.data,
      metadata: { ...event.metadata },
    }));
    return {
      _id: `${streamId}:${head + 1}`,
      streamId,
      fromVersion: head + 1,
      toVersion: head + events.length,
      sequence,
      bucket: bucketOf(sequence),
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
  if (events.length > POSITIONS_PER_COMMIT) {
    throw new InvalidAppendError(`An append holds at most ${POSITIONS_PER_COMMIT} events`);
  }
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
