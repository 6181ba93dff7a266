import { decide } from './webhook.commands';
import { evolve, initialState } from './webhook.events';

/** The webhook aggregate as one Emmett-style decider: state = events.reduce(evolve, initialState). */
export const webhookDecider = { decide, evolve, initialState } as const;
