/**
 * Helpers for unit tests of code built on the event store (`@app/event-store/testing`): never
 * imported by production code, and left out of the libraries' builds.
 */
export { deciderSpec, type ErrorClass } from './decider-spec';
export { InMemoryLeaseStore } from './in-memory-lease-store';
export { InMemoryEventStreams } from './in-memory-event-streams';
