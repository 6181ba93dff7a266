export * from './database/database.module';
export * from './database/database.tokens';
export * from './kafka/kafka.module';
export * from './health/health.module';
export * from './health/database.health';
export * from './health/kafka.health';
export * from './bootstrap/run-app';
