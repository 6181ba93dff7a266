import {
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Connection } from 'mongoose';
import { AppConfig } from '@app/config';
import { SecretBox } from '../../crypto/secret-box';
import { DATABASE_CONNECTION } from '../../database/database.tokens';
import { IDEMPOTENCY_COLLECTION, type IdempotencyRecordDocument } from './idempotency-record';
import { registerIdempotencyProblems } from './idempotency.errors';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyPruner } from './idempotency.pruner';
import { IdempotencyStore } from './idempotency.store';

/** An in-progress run whose owner stopped renewing for this long is presumed dead. */
export const IDEMPOTENCY_LEASE_MS = 60_000;

/**
 * Idempotency-Key for every POST of the app that imports it (the api): IdempotencyInterceptor as a
 * global interceptor, the records in `idempotency_records`, a background pruner. Needs AppConfig,
 * the database connection and SecretBox (ConfigModule, DatabaseModule, CryptoModule).
 */
@Module({
  providers: [
    {
      provide: IdempotencyStore,
      inject: [DATABASE_CONNECTION, SecretBox, AppConfig],
      useFactory: (connection: Connection, box: SecretBox, config: AppConfig) =>
        new IdempotencyStore(
          connection.collection<IdempotencyRecordDocument>(IDEMPOTENCY_COLLECTION),
          box,
          { ttlMs: config.idempotencyKeyTtlHours * 3_600_000, leaseMs: IDEMPOTENCY_LEASE_MS },
        ),
    },
    {
      provide: IdempotencyPruner,
      inject: [IdempotencyStore],
      useFactory: (store: IdempotencyStore) => new IdempotencyPruner(store),
    },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [IdempotencyStore],
})
export class IdempotencyModule implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private unregisterProblems?: () => void;

  constructor(
    @Inject(IdempotencyStore) private readonly store: IdempotencyStore,
    @Inject(IdempotencyPruner) private readonly pruner: IdempotencyPruner,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unregisterProblems = registerIdempotencyProblems();
    await this.store.ensureIndexes();
  }

  onApplicationBootstrap(): void {
    this.pruner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.pruner.stop();
    this.store.close();
    this.unregisterProblems?.();
  }
}
