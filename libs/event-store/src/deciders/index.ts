export type { Decider, EventSourcedDecider } from './decider';
export * from './decider-command-handler';
export type { EventStreamStore } from './event-stream-store';
export type { VersionMismatch, VersionMismatchHook } from './version-mismatch';
