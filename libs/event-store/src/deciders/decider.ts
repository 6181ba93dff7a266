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
