export * from './delivery-settings';
export * from './event-catalogue';
export * from './webhook.commands';
export * from './webhook.decider';
export * from './webhook.errors';
export * from './webhook.events';
export * from './webhook.rules';
export * from './webhook.upcasters';
