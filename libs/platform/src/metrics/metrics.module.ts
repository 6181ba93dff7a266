import {
  Controller,
  Get,
  Global,
  Header,
  Headers,
  Injectable,
  Module,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { AppConfig } from '@app/config';
import { Public } from '../auth/auth.decorators';
import { metricsScrapeAllowed } from './metrics-access';

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const METRICS_CHALLENGE = 'Bearer realm="metrics"';

interface HeaderSettable {
  setHeader(name: string, value: string): unknown;
}

/**
 * One Prometheus registry per app, with Node's process metrics (CPU, memory, event-loop lag, GC).
 * Modules register their own metrics on it; `GET /metrics` (outside /api/v1, like /health) serves
 * them as Prometheus text: on the app's own port unless METRICS_PORT moves it to a port of its
 * own (MetricsServer; the app's port then answers 404), and only with
 * `Authorization: Bearer <METRICS_TOKEN>` when that is set. (Its own bearer token, not a user's
 * JWT: a scraper is no principal of the admin API.)
 */
@Controller('metrics')
@ApiExcludeController()
export class MetricsController {
  constructor(
    private readonly registry: Registry,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @Header('content-type', PROMETHEUS_TEXT)
  metrics(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: HeaderSettable,
  ): Promise<string> {
    if (this.config.metricsPort !== undefined) throw new NotFoundException('Cannot GET /metrics');
    if (!metricsScrapeAllowed(this.config.metricsToken, authorization)) {
      response.setHeader('WWW-Authenticate', METRICS_CHALLENGE);
      throw new UnauthorizedException('/metrics needs the METRICS_TOKEN as a bearer token.');
    }
    return this.registry.metrics();
  }
}

/** `/metrics` alone on METRICS_PORT, when it is set; nothing else is served there. */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly registry: Registry,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.metricsPort;
    if (port === undefined) return;
    const server = createServer((request, response) => {
      const path = (request.url ?? '').split('?', 1)[0];
      if (request.method !== 'GET' || path !== '/metrics') {
        return problem(response, 404, `Cannot ${request.method} ${path}`);
      }
      if (!metricsScrapeAllowed(this.config.metricsToken, request.headers.authorization)) {
        response.setHeader('WWW-Authenticate', METRICS_CHALLENGE);
        return problem(response, 401, '/metrics needs the METRICS_TOKEN as a bearer token.');
      }
      this.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': PROMETHEUS_TEXT }).end(text),
        () => problem(response, 500, 'The metrics could not be collected.'),
      );
    });
    await new Promise<void>((listening, fail) => {
      server.once('error', fail);
      server.listen(port, '0.0.0.0', () => listening());
    });
    this.server = server;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((closed) => server.close(() => closed()));
  }
}

function problem(response: ServerResponse, status: number, detail: string): void {
  const title = status === 404 ? 'Not Found' : status === 401 ? 'Unauthorized' : 'Error';
  response
    .writeHead(status, { 'content-type': 'application/problem+json' })
    .end(JSON.stringify({ type: 'about:blank', title, status, detail }));
}

@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: Registry,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry });
        return registry;
      },
    },
    MetricsServer,
  ],
  exports: [Registry],
})
export class MetricsModule {}
