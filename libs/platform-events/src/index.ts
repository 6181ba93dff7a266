export * from './platform-event';
export * from './platform-event.parser';
export * from './platform-event.sink';
export * from './partition-progress';
export * from './dead-letter.publisher';
export * from './platform-event.consumer';
export * from './platform-events.module';
export * from './consumer-readiness';
