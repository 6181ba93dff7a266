import type { Decider } from '../deciders/decider';

/** Any Error subclass, as passed to `then` to expect that decide refuses the command. */
export type ErrorClass<E extends Error = Error> = abstract new (...args: never[]) => E;

/**
 * Given/When/Then for a decider: `given(pastEvents).when(command).then(expectedEvents | ErrorClass)`.
 * The past events are folded with evolve, exactly as a stream would be loaded.
 */
export function deciderSpec<Command, Event, State, Context>(
  decider: Decider<Command, Event, State, Context>,
  defaultContext: Context,
) {
  return function given(events: Event[]) {
    return {
      when(command: Command, context: Context = defaultContext) {
        return new DeciderOutcome(() => {
          const state = events.reduce((s, e) => decider.evolve(s, e), decider.initialState);
          return decider.decide(command, state, context);
        });
      },
    };
  };
}

class DeciderOutcome<Event> {
  constructor(private readonly run: () => Event[]) {}

  then(expected: Event[]): void;
  /** Returns the thrown error, for assertions on its details. */
  then<E extends Error>(expected: ErrorClass<E>): E;
  then(expected: Event[] | ErrorClass): Error | void {
    if (Array.isArray(expected)) {
      expect(this.run()).toEqual(expected);
      return;
    }
    // A method named `then` makes this object look like a promise; awaiting or returning it from a
    // test would call it with a resolver. Fail loudly instead of asserting nonsense.
    if (expected !== Error && !Object.prototype.isPrototypeOf.call(Error, expected)) {
      throw new TypeError('then() takes events or an Error class; do not await or return a spec');
    }
    let events: Event[];
    try {
      events = this.run();
    } catch (error) {
      expect(error).toBeInstanceOf(expected);
      return error as Error;
    }
    throw new Error(`Expected ${expected.name}, but decide returned ${JSON.stringify(events)}`);
  }
}
