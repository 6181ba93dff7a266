import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';
import { DatabaseHealthIndicator } from './database.health';
import { KafkaHealthIndicator } from './kafka.health';

/** The part of the HTTP response this controller touches. */
interface StatusSettable {
  status(code: number): unknown;
}

/**
 * `GET /health`: 200 when the database and Kafka answer, 503 with the failing part otherwise.
 * Public: load balancers and orchestrators probe it without a token. The 503 keeps Terminus' body
 * (which parts are up or down) rather than becoming a generic problem document.
 */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
  ) {}

  @Get()
  async check(@Res({ passthrough: true }) response: StatusSettable): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.database.check(), () => this.kafka.check()]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
