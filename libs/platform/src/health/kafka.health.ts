import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Admin } from 'kafkajs';
import { KAFKA_ADMIN } from '../kafka/kafka.module';
import { withTimeout } from './database.health';
import type { ReadinessIndicator } from './readiness-indicator';

/** Healthy when a Kafka broker answers a cluster description within the timeout. */
@Injectable()
export class KafkaHealthIndicator implements ReadinessIndicator {
  constructor(
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key = 'kafka', timeoutMs = 3000): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    const started = Date.now();
    try {
      // connect() is a no-op when connected, and reconnects after the broker came back.
      const cluster = await withTimeout(
        this.admin.connect().then(() => this.admin.describeCluster()),
        timeoutMs,
      );
      return indicator.up({ brokers: cluster.brokers.length, latencyMs: Date.now() - started });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
