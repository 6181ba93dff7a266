import type { INestApplication } from '@nestjs/common';

/** Routing shared by main.ts and the e2e tests: the REST API under /api/v1, probes at the root. */
export function configureApi(app: INestApplication): INestApplication {
  app.setGlobalPrefix('api/v1', { exclude: ['health', 'metrics'] });
  return app;
}
