export * from './clock';
export * from './errors';
export * from './event.types';
export * from './event-store';
export * from './event-store.module';
export * from './upcasters';
export * from './projections/apply-once';
export * from './leases/lease';
export * from './leases/lease-store';
export * from './projections/checkpoint-store';
export * from './projections/projection';
export * from './projections/ready-latch';
export * from './projections/projection-host';
export * from './projections/projection-rebuilder';
export * from './projections/projection-runner';
export * from './projections/position-waiters';
export { DUPLICATE_KEY, isDuplicateKeyError } from './storage/mongo-errors';
/** A LeaseStore in memory, for unit tests of code that works under a lease. */
export { InMemoryLeaseStore } from './testing/in-memory-lease-store';
