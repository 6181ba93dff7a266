import { ConcurrencyError } from '../errors';
import type { EventMetadata, ReadStreamOptions, StoredEvent } from '../event.types';
import type { EventSourcedDecider } from './decider';
import type { EventStreamStore } from './event-stream-store';
import type { VersionMismatch, VersionMismatchHook } from './version-mismatch';

/** A stream folded into its decider's state. */
export interface LoadedStream<State> {
  state: State;
  /** The version of the last event folded (0 for a stream that does not exist yet). */
  version: number;
  /** The events folded, oldest first. */
  events: StoredEvent[];
}

export interface HandleOptions<State, Context> {
  /** Who asked, in which request chain: the metadata of every event the command causes. */
  metadata: EventMetadata;
  /** Called once per attempt, so that a retry decides with its own time (a clock read in it). */
  context: () => Context;
  /**
   * From `If-Match`: the version the caller last saw; any other is a version mismatch. Without it
   * the caller means "whatever the stream is now", so a lost race is decided again.
   */
  expectedVersion?: number;
  onVersionMismatch?: VersionMismatchHook<State>;
}

/** The stream after a command, for the caller to build its answer from. */
export interface HandledCommand<State> extends LoadedStream<State> {
  /** False when the command decided nothing: then nothing was written. */
  changed: boolean;
  /** What this command appended (its events are also the last of `events`). */
  appended: StoredEvent[];
}

/** Attempts of a command without an expected version that keeps losing races to other writers. */
const LOST_RACE_ATTEMPTS = 3;

/**
 * Runs commands on one kind of stream: load (fold the stream with the decider), check the expected
 * version, decide, append at the loaded version. The append is the optimistic concurrency check:
 * a writer in between makes it fail without writing.
 */
export class DeciderCommandHandler<Command, Event, State, Context> {
  constructor(
    private readonly store: EventStreamStore,
    private readonly decider: EventSourcedDecider<Command, Event, State, Context>,
  ) {}

  async load(streamId: string, options: ReadStreamOptions = {}): Promise<LoadedStream<State>> {
    let state = this.decider.initialState;
    const events: StoredEvent[] = [];
    for (const stored of await this.store.readStream(streamId, options)) {
      const event = this.decider.fromStored(stored);
      if (event === undefined) continue;
      state = this.decider.evolve(state, event);
      events.push(stored);
    }
    return { state, version: events.at(-1)?.version ?? 0, events };
  }

  async handle(
    streamId: string,
    command: Command,
    options: HandleOptions<State, Context>,
  ): Promise<HandledCommand<State>> {
    const { expectedVersion } = options;
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.load(streamId);
      if (expectedVersion !== undefined && expectedVersion !== loaded.version) {
        throw this.mismatchError(
          {
            kind: 'expected-version',
            streamId,
            expectedVersion,
            actualVersion: loaded.version,
            state: loaded.state,
          },
          options.onVersionMismatch,
          new ConcurrencyError(streamId, expectedVersion, loaded.version),
        );
      }
      const decided = this.decider.decide(command, loaded.state, options.context());
      if (decided.length === 0) return { ...loaded, changed: false, appended: [] };
      let appended;
      try {
        appended = await this.store.append(
          streamId,
          loaded.version,
          decided.map((event) => this.decider.toNew(event, options.metadata)),
        );
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        // With an expected version the caller decided on that one: another writer's is a mismatch.
        if (expectedVersion === undefined && attempt < LOST_RACE_ATTEMPTS) continue;
        throw this.mismatchError(
          {
            kind: 'lost-race',
            streamId,
            expectedVersion: loaded.version,
            actualVersion: error.actualVersion,
            state: loaded.state,
          },
          options.onVersionMismatch,
          error,
        );
      }
      // Committed: the state follows from the decided events, without reading the stream again.
      return {
        state: decided.reduce((state, event) => this.decider.evolve(state, event), loaded.state),
        version: appended.version,
        events: [...loaded.events, ...appended.events],
        changed: true,
        appended: appended.events,
      };
    }
  }

  private mismatchError(
    mismatch: VersionMismatch<State>,
    hook: VersionMismatchHook<State> | undefined,
    fallback: ConcurrencyError,
  ): Error {
    return hook?.(mismatch) ?? fallback;
  }
}
