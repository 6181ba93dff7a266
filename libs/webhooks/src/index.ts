export * from './domain';
export * from './webhooks.module';
export * from './read-models/webhook-list.projection';
