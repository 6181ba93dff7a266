import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '@app/platform';
import type { AuditPage } from '../../audit.query';
import { ListAuditQueryDto } from '../../http/audit.dtos';
import { AuditPageResponse } from '../../http/audit.responses';
import { ListAuditQuery } from './list-audit.query';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class ListAuditHttp {
  constructor(private readonly queries: QueryBus) {}

  /**
   * Every recorded action across the webhooks (their changes and what was done with them: secret
   * reveals, manual sends) and the settings, newest first, from the audit projection.
   */
  @Get()
  @RequireRole('auditor')
  @ApiOkResponse({ type: AuditPageResponse })
  list(@Query() query: ListAuditQueryDto): Promise<AuditPage> {
    return this.queries.execute(
      new ListAuditQuery({
        actor: query.actor,
        types: query.type,
        webhookId: query.webhookId,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        limit: query.limit ?? 50,
        cursor: query.cursor,
      }),
    );
  }
}
