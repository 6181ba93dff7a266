import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@app/config';
import { createValidationPipe, ProblemDetailsFilter, strictTransportSecurity } from '@app/platform';
import { ADMIN_PAGE_ROUTES } from './admin-page/admin-page.module';
import { buildOpenApiDocument } from './openapi/openapi-document';

/**
 * HTTP set-up shared by main.ts and the e2e tests: the REST API under /api/v1, probes and the
 * admin page (/admin, AdminPageModule) at the root; every error as RFC 9457 problem JSON; request
 * bodies validated and whitelisted. (Idempotency-Key on POST comes with ApiModule's
 * IdempotencyModule; only its OpenAPI description is added here.) With HTTP_HSTS_MAX_AGE, every
 * answer carries Strict-Transport-Security.
 */
export function configureApi(app: INestApplication): INestApplication {
  const { httpHstsMaxAge } = app.get(AppConfig);
  if (httpHstsMaxAge !== undefined) app.use(strictTransportSecurity(httpHstsMaxAge));
  setApiPrefix(app);
  app.useGlobalFilters(new ProblemDetailsFilter(app.get(HttpAdapterHost)));
  app.useGlobalPipes(createValidationPipe());
  // OpenAPI 3.1 with roles, problems, headers and the receivers' `webhooks` (openapi-document.ts).
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs/openapi.json',
  });
  return app;
}

/** The REST API under /api/v1; probes, metrics and the admin page at the root. */
export function setApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix('api/v1', {
    exclude: ['health', 'health/live', 'health/ready', 'metrics', ...ADMIN_PAGE_ROUTES],
  });
}
