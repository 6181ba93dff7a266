import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * One thing an app needs to serve, checked by `GET /health/ready`: up or down, with a few details
 * (latency, a message). Never throws: a failure is a `down` result.
 */
export interface ReadinessIndicator {
  check(): Promise<HealthIndicatorResult>;
}

export const READINESS_INDICATORS = Symbol('READINESS_INDICATORS');
