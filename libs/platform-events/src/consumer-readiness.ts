import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import type { ReadinessIndicator } from '@app/platform';
import { PlatformEventConsumer } from './platform-event.consumer';

/**
 * `consumer` in the worker's readiness: up while the worker is a member of the consumer group
 * and reads its partitions; down while it starts, after a crash until kafkajs has restarted it
 * (e.g. while the broker is unreachable), and once it stops.
 */
@Injectable()
export class ConsumerReadiness implements ReadinessIndicator {
  constructor(private readonly consumer: PlatformEventConsumer) {}

  check(): Promise<HealthIndicatorResult> {
    return Promise.resolve({
      consumer: this.consumer.consuming
        ? { status: 'up' }
        : { status: 'down', message: 'not reading: starting, rejoining the group, or stopping' },
    });
  }
}
