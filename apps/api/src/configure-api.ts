import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@app/config';
import {
  createValidationPipe,
  documentIdempotencyKey,
  ProblemDetailsFilter,
  strictTransportSecurity,
} from '@app/platform';
import { ADMIN_PAGE_ROUTES } from './admin-page/admin-page.module';

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
  app.setGlobalPrefix('api/v1', {
    exclude: ['health', 'health/live', 'health/ready', 'metrics', ...ADMIN_PAGE_ROUTES],
  });
  app.useGlobalFilters(new ProblemDetailsFilter(app.get(HttpAdapterHost)));
  app.useGlobalPipes(createValidationPipe());
  const openApi = new DocumentBuilder()
    .setTitle('LMP Webhooks admin API')
    .setDescription('Manage the webhooks of the License Management Platform (see docs/api.md).')
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = () => documentIdempotencyKey(SwaggerModule.createDocument(app, openApi));
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs/openapi.json',
  });
  return app;
}
