import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import type { ReadinessIndicator } from '@app/platform';
import { DeliveryEngine } from './delivery-engine';

/**
 * `deliveries` in the worker's readiness: up once the engine delivers (its webhook index and
 * retry policy have caught up with the event log), down while it catches up or stops.
 */
@Injectable()
export class DeliveryReadiness implements ReadinessIndicator {
  constructor(private readonly engine: DeliveryEngine) {}

  check(): Promise<HealthIndicatorResult> {
    return Promise.resolve({
      deliveries: this.engine.running
        ? { status: 'up', inMemory: this.engine.inMemory }
        : { status: 'down', message: 'catching up with the event log, or stopping' },
    });
  }
}
