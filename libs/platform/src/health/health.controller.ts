import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { LivenessResponse, ReadinessResponse } from './health.responses';
import { READINESS_INDICATORS, type ReadinessIndicator } from './readiness-indicator';

const NOT_READY = {
  type: ReadinessResponse,
  description: 'Not ready: the failing parts are `down` in `error` and `details`.',
};

/** The part of the HTTP response this controller touches. */
interface StatusSettable {
  status(code: number): unknown;
}

/**
 * Probes for load balancers and orchestrators, public (no token), outside /api/v1:
 * - `GET /health/live`: the process is up and its event loop answers (restart it if not);
 * - `GET /health/ready`: it can serve: every readiness indicator of the app is up (the api: the
 *   database; the worker: the database, Kafka and its delivery engine) and it is not shutting
 *   down; 503 with the failing parts otherwise. The 503 keeps Terminus' body (which parts are up or
 *   down) rather than becoming a generic problem document;
 * - `GET /health`: the same as `/health/ready`, kept for probes configured before the split.
 */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    @Inject(READINESS_INDICATORS) private readonly readiness: ReadinessIndicator[],
  ) {}

  @Get('live')
  @ApiOkResponse({ type: LivenessResponse })
  live(): { status: 'ok'; uptimeSeconds: number } {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }

  @Get('ready')
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiServiceUnavailableResponse(NOT_READY)
  ready(@Res({ passthrough: true }) response: StatusSettable): Promise<HealthCheckResult> {
    return this.check(response);
  }

  @Get()
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiServiceUnavailableResponse(NOT_READY)
  legacy(@Res({ passthrough: true }) response: StatusSettable): Promise<HealthCheckResult> {
    return this.check(response);
  }

  private async check(response: StatusSettable): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        ...this.readiness.map((indicator) => () => indicator.check()),
        () => {
          const lifecycle = this.indicators.check('lifecycle');
          const since = this.shutdown.drainingSince;
          return since
            ? lifecycle.down({ message: `shutting down since ${since.toISOString()}` })
            : lifecycle.up();
        },
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
