import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Connection } from 'mongoose';
import { DATABASE_CONNECTION } from '../database/database.tokens';
import type { ReadinessIndicator } from './readiness-indicator';

/** Healthy when the database answers a ping within the timeout. */
@Injectable()
export class DatabaseHealthIndicator implements ReadinessIndicator {
  constructor(
    @Inject(DATABASE_CONNECTION) private readonly connection: Connection,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key = 'database', timeoutMs = 2000): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    const started = Date.now();
    try {
      const db = this.connection.db;
      if (!db) throw new Error('not connected');
      await withTimeout(db.admin().ping(), timeoutMs);
      return indicator.up({ latencyMs: Date.now() - started });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
