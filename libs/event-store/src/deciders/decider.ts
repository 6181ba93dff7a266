import type { EventMetadata, NewEvent, StoredEvent } from '../event.types';

/**
 * An aggregate as a decider: `decide` turns a command and the current state into the events it
 * causes (or throws a domain error), `evolve` folds one event into the state. Pure; the command
 * handler loads, decides and appends around it.
 */
export interface Decider<Command, Event, State, Context> {
  decide: (command: Command, state: State, context: Context) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: State;
}

/**
 * A decider with the form its events take in the event store: what DeciderCommandHandler needs to
 * load its stream and to append what it decides. The storage half stays out of the pure Decider,
 * so domain tests (deciderSpec) need none of it.
 */
export interface EventSourcedDecider<Command, Event, State, Context> extends Decider<
  Command,
  Event,
  State,
  Context
> {
  /**
   * The domain event a stored (already upcast) event stands for; undefined for a type this
   * decider does not know, which is then neither folded nor counted in the loaded version.
   */
  fromStored: (event: StoredEvent) => Event | undefined;
  /** A decided event as the store appends it, stamped with its current schema version. */
  toNew: (event: Event, metadata: EventMetadata) => NewEvent;
}
