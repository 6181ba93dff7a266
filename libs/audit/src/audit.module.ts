import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ListAuditHandler } from './queries/list-audit/list-audit.handler';
import { ListAuditHttp } from './queries/list-audit/list-audit.http';

/**
 * `GET /audit` for the api. It reads the audit projection's collection through the app's
 * ProjectionHost, where the projection registry (DURABLE_PROJECTIONS, libs/webhooks) hosts it.
 */
@Module({
  imports: [CqrsModule],
  controllers: [ListAuditHttp],
  providers: [ListAuditHandler],
})
export class AuditModule {}
