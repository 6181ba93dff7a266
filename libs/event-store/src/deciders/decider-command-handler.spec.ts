import { FixedClock } from '../clock';
import { ConcurrencyError, InvalidAppendError } from '../errors';
import type { EventMetadata, NewEvent } from '../event.types';
import type { EventSourcedDecider } from './decider';
import { DeciderCommandHandler, type HandleOptions } from './decider-command-handler';
import { InMemoryEventStreams } from '../testing/in-memory-event-streams';
import type { VersionMismatch } from './version-mismatch';

// A counter: the smallest aggregate that can change, refuse and decide nothing.
type CounterCommand = { type: 'Add'; amount: number } | { type: 'AddNothing' };
type CounterEvent = { type: 'Added'; data: { amount: number; at: string } };
interface CounterState {
  total: number;
}
interface CounterContext {
  now: Date;
}

class NegativeAmountError extends Error {}

const counter: EventSourcedDecider<CounterCommand, CounterEvent, CounterState, CounterContext> = {
  initialState: { total: 0 },
  decide: (command, _state, { now }) => {
    if (command.type === 'AddNothing') return [];
    if (command.amount < 0) throw new NegativeAmountError();
    return [{ type: 'Added', data: { amount: command.amount, at: now.toISOString() } }];
  },
  evolve: (state, event) => ({ total: state.total + event.data.amount }),
  fromStored: (event) =>
    event.type === 'Added' ? ({ type: 'Added', data: event.data } as CounterEvent) : undefined,
  toNew: (event, metadata) => ({ ...event, schemaVersion: 1, metadata }),
};

const STREAM = 'counter-1';
const metadata: EventMetadata = { actor: 'user:alice', correlationId: 'corr', causationId: 'req' };

function added(amount: number): NewEvent {
  return counter.toNew({ type: 'Added', data: { amount, at: 'earlier' } }, metadata);
}

class ConflictInCounterTerms extends Error {
  constructor(readonly mismatch: VersionMismatch<CounterState>) {
    super('conflict');
  }
}

describe('DeciderCommandHandler', () => {
  let clock: FixedClock;
  let streams: InMemoryEventStreams;
  let handler: DeciderCommandHandler<CounterCommand, CounterEvent, CounterState, CounterContext>;
  let context: jest.Mock<CounterContext, []>;

  function options(
    more: Partial<HandleOptions<CounterState, CounterContext>> = {},
  ): HandleOptions<CounterState, CounterContext> {
    return { metadata, context, ...more };
  }

  /** Another writer adds `amount` right before each of the next `times` appends. */
  function anotherWriterBeforeEachAppend(times: number, amount = 100): void {
    let left = times;
    streams.beforeAppend = (streamId) => {
      if (left-- > 0) {
        const version = streams.eventsOf(streamId).length;
        streams.appendNow(streamId, version, [added(amount)]);
      }
      return Promise.resolve();
    };
  }

  beforeEach(() => {
    clock = new FixedClock(new Date('2025-03-01T12:00:00.000Z'));
    streams = new InMemoryEventStreams(clock);
    handler = new DeciderCommandHandler(streams, counter);
    context = jest.fn(() => ({ now: clock.now() }));
  });

  describe('load', () => {
    it('given events the decider does not know among its own, then it folds and counts only its own', async () => {
      streams.appendNow(STREAM, 0, [added(2)]);
      streams.appendNow(STREAM, 1, [{ ...added(0), type: 'SomethingElse' }]);
      streams.appendNow(STREAM, 2, [added(3)]);

      const loaded = await handler.load(STREAM);

      expect(loaded.state).toEqual({ total: 5 });
      expect(loaded.version).toBe(3);
      expect(loaded.events.map((event) => event.version)).toEqual([1, 3]);
    });

    it('given a stream that does not exist, then it is the initial state at version 0', async () => {
      expect(await handler.load(STREAM)).toEqual({ state: { total: 0 }, version: 0, events: [] });
    });

    it('given an as-of time, then it folds only the events recorded by then', async () => {
      streams.appendNow(STREAM, 0, [added(2)]);
      const asOf = clock.now();
      clock.advance(60_000);
      streams.appendNow(STREAM, 1, [added(3)]);

      const loaded = await handler.load(STREAM, { asOf });

      expect(loaded).toMatchObject({ state: { total: 2 }, version: 1 });
    });
  });

  describe('handle', () => {
    it('given an empty stream, when a command decides events, then they are appended at version 0', async () => {
      const result = await handler.handle(STREAM, { type: 'Add', amount: 2 }, options());

      expect(result).toMatchObject({ state: { total: 2 }, version: 1, changed: true });
      expect(result.appended).toEqual(streams.eventsOf(STREAM));
      expect(result.appended[0]).toMatchObject({
        type: 'Added',
        data: { amount: 2, at: '2025-03-01T12:00:00.000Z' },
        metadata,
      });
    });

    it('given a stream with events, when a command appends more, then the result holds the whole stream', async () => {
      streams.appendNow(STREAM, 0, [added(2)]);

      const result = await handler.handle(
        STREAM,
        { type: 'Add', amount: 3 },
        options({ expectedVersion: 1 }),
      );

      expect(result).toMatchObject({ state: { total: 5 }, version: 2, changed: true });
      expect(result.events).toEqual(streams.eventsOf(STREAM));
      expect(result.appended.map((event) => event.version)).toEqual([2]);
    });

    it('given a command that decides nothing, then nothing is written and the stream is answered as loaded', async () => {
      streams.appendNow(STREAM, 0, [added(2)]);

      const result = await handler.handle(STREAM, { type: 'AddNothing' }, options());

      expect(result).toEqual({
        state: { total: 2 },
        version: 1,
        events: streams.eventsOf(STREAM),
        changed: false,
        appended: [],
      });
      expect(streams.eventsOf(STREAM)).toHaveLength(1);
    });

    it('given decide refuses the command, then its error comes out and nothing is written', async () => {
      await expect(
        handler.handle(STREAM, { type: 'Add', amount: -1 }, options()),
      ).rejects.toBeInstanceOf(NegativeAmountError);
      expect(streams.eventsOf(STREAM)).toEqual([]);
    });

    it('given an expected version the stream is not at, then it is a ConcurrencyError, before deciding', async () => {
      streams.appendNow(STREAM, 0, [added(2)]);

      const error = await handler
        .handle(STREAM, { type: 'Add', amount: 3 }, options({ expectedVersion: 0 }))
        .catch((thrown: unknown) => thrown);

      expect(error).toBeInstanceOf(ConcurrencyError);
      expect(error).toMatchObject({ streamId: STREAM, expectedVersion: 0, actualVersion: 1 });
      expect(context).not.toHaveBeenCalled();
      expect(streams.eventsOf(STREAM)).toHaveLength(1);
    });

    it('given a mismatch hook, when the expected version is stale, then the hook names the error', async () => {
      streams.appendNow(STREAM, 0, [added(2)]);
      const onVersionMismatch = (mismatch: VersionMismatch<CounterState>) =>
        new ConflictInCounterTerms(mismatch);

      const error = await handler
        .handle(
          STREAM,
          { type: 'Add', amount: 3 },
          options({ expectedVersion: 0, onVersionMismatch }),
        )
        .catch((thrown: unknown) => thrown);

      expect(error).toBeInstanceOf(ConflictInCounterTerms);
      expect((error as ConflictInCounterTerms).mismatch).toEqual({
        kind: 'expected-version',
        streamId: STREAM,
        expectedVersion: 0,
        actualVersion: 1,
        state: { total: 2 },
      });
    });

    it('given a mismatch hook that answers undefined, then the ConcurrencyError stays', async () => {
      streams.appendNow(STREAM, 0, [added(2)]);

      await expect(
        handler.handle(
          STREAM,
          { type: 'Add', amount: 3 },
          options({ expectedVersion: 5, onVersionMismatch: () => undefined }),
        ),
      ).rejects.toBeInstanceOf(ConcurrencyError);
    });

    it('given no expected version, when another writer wins the race once, then it decides again on the new state', async () => {
      anotherWriterBeforeEachAppend(1);

      const result = await handler.handle(STREAM, { type: 'Add', amount: 2 }, options());

      expect(result).toMatchObject({ state: { total: 102 }, version: 2, changed: true });
      expect(context).toHaveBeenCalledTimes(2);
    });

    it('given no expected version, when it loses every race, then it gives up after three attempts with the last mismatch', async () => {
      anotherWriterBeforeEachAppend(3);
      const onVersionMismatch = jest.fn((mismatch: VersionMismatch<CounterState>) => {
        return new ConflictInCounterTerms(mismatch);
      });

      const error = await handler
        .handle(STREAM, { type: 'Add', amount: 2 }, options({ onVersionMismatch }))
        .catch((thrown: unknown) => thrown);

      expect(error).toBeInstanceOf(ConflictInCounterTerms);
      expect(onVersionMismatch).toHaveBeenCalledTimes(1);
      expect(onVersionMismatch).toHaveBeenCalledWith({
        kind: 'lost-race',
        streamId: STREAM,
        expectedVersion: 2,
        actualVersion: 3,
        state: { total: 200 },
      });
      expect(context).toHaveBeenCalledTimes(3);
      expect(streams.eventsOf(STREAM)).toHaveLength(3);
    });

    it('given no expected version and no hook, when it loses every race, then the store’s ConcurrencyError comes out', async () => {
      anotherWriterBeforeEachAppend(3);

      await expect(
        handler.handle(STREAM, { type: 'Add', amount: 2 }, options()),
      ).rejects.toBeInstanceOf(ConcurrencyError);
    });

    it('given an expected version, when another writer wins the race, then it is a mismatch at once', async () => {
      anotherWriterBeforeEachAppend(1);
      const onVersionMismatch = jest.fn(() => undefined);

      const error = await handler
        .handle(
          STREAM,
          { type: 'Add', amount: 2 },
          options({ expectedVersion: 0, onVersionMismatch }),
        )
        .catch((thrown: unknown) => thrown);

      expect(error).toBeInstanceOf(ConcurrencyError);
      expect(error).toMatchObject({ expectedVersion: 0, actualVersion: 1 });
      expect(onVersionMismatch).toHaveBeenCalledWith(
        expect.objectContaining({ kind: 'lost-race', expectedVersion: 0, actualVersion: 1 }),
      );
      expect(context).toHaveBeenCalledTimes(1);
    });

    it('given the store refuses the append for another reason, then that error comes out, without a retry', async () => {
      jest.spyOn(streams, 'append').mockRejectedValue(new InvalidAppendError('too big'));

      await expect(
        handler.handle(STREAM, { type: 'Add', amount: 2 }, options()),
      ).rejects.toBeInstanceOf(InvalidAppendError);
      expect(streams.append).toHaveBeenCalledTimes(1);
    });
  });
});
