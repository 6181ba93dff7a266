import type { EventStore } from '../event-store';

/**
 * The part of the EventStore that a command handler uses: one stream read in full, and appends
 * at an expected version (a ConcurrencyError when the stream moved on). Unit tests fake just this.
 */
export type EventStreamStore = Pick<EventStore, 'readStream' | 'append'>;
