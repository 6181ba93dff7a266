import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '@app/platform';
import type { HistoryPage, WebhookPage } from '../application/webhook-reader';
import type { RevealedSecrets } from '../application/webhook-secrets';
import type { WebhookView } from '../application/webhook.view';
import type { Environment, EventType } from '../domain/event-catalogue';
import { withEtag, type HeaderSettable } from '@app/platform';
import { GetWebhookQueryDto, HistoryQueryDto, ListWebhooksQueryDto } from '../http/webhook.dtos';
import {
  HistoryPageResponse,
  WebhookPageResponse,
  WebhookResponse,
  WebhookSecretsResponse,
} from '../http/webhook.responses';
import {
  GetWebhookHistoryQuery,
  GetWebhookQuery,
  ListWebhooksQuery,
  RevealSecretQuery,
} from './webhook.queries';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class WebhookQueriesHttp {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @RequireRole('auditor')
  @ApiOkResponse({ type: WebhookPageResponse })
  list(@Query() query: ListWebhooksQueryDto): Promise<WebhookPage> {
    return this.queries.execute(
      new ListWebhooksQuery({
        search: query.search,
        environment: query.environment as Environment | undefined,
        status: query.status,
        eventType: query.eventType as EventType | undefined,
        sort: query.sort,
        limit: query.limit ?? 20,
        cursor: query.cursor,
      }),
    );
  }

  /** With `asOf`, the webhook as it was then, rebuilt from its events; 404 before it existed. */
  @Get(':id')
  @RequireRole('auditor')
  @ApiOkResponse({ type: WebhookResponse })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: GetWebhookQueryDto,
    @Res({ passthrough: true }) response: HeaderSettable,
  ): Promise<WebhookView> {
    const asOf = query.asOf ? new Date(query.asOf) : undefined;
    const view = await this.queries.execute<GetWebhookQuery, WebhookView>(
      new GetWebhookQuery(id, asOf),
    );
    return withEtag(response, view);
  }

  /** The audit trail, oldest first: who did what when; secrets never appear. */
  @Get(':id/history')
  @RequireRole('auditor')
  @ApiOkResponse({ type: HistoryPageResponse })
  history(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: HistoryQueryDto,
  ): Promise<HistoryPage> {
    return this.queries.execute(
      new GetWebhookHistoryQuery(id, query.after ?? 0, query.limit ?? 50),
    );
  }

  /** The signing secret in full (and the previous one while it still signs): admins only. */
  @Get(':id/secret')
  @RequireRole('admin')
  @ApiOkResponse({ type: WebhookSecretsResponse })
  async secret(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) response: HeaderSettable,
  ): Promise<RevealedSecrets & { version: number }> {
    response.setHeader('Cache-Control', 'no-store');
    return withEtag(response, await this.queries.execute(new RevealSecretQuery(id)));
  }
}
