import { Controller, Get, Headers, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  RequestValidationError,
  RequireRole,
  requestMetadata,
  type Principal,
} from '@app/platform';
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

  /**
   * With `asOf`, the webhook as it was then, rebuilt from its events; 404 before it existed. With
   * `version`, as it was at that stream version (one state even within a millisecond); 404 past it.
   */
  @Get(':id')
  @RequireRole('auditor')
  @ApiOkResponse({ type: WebhookResponse })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: GetWebhookQueryDto,
    @Res({ passthrough: true }) response: HeaderSettable,
  ): Promise<WebhookView> {
    if (query.asOf !== undefined && query.version !== undefined) {
      throw new RequestValidationError([
        { field: 'version', message: 'give either asOf or version, not both' },
      ]);
    }
    const asOf = query.asOf ? new Date(query.asOf) : undefined;
    const view = await this.queries.execute<GetWebhookQuery, WebhookView>(
      new GetWebhookQuery(id, asOf, query.version),
    );
    return withEtag(response, view);
  }

  /**
   * The audit trail, oldest first: the webhook's events and its activity (reveals, manual sends)
   * in global order, paged by position; who did what when; secrets never appear.
   */
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

  /**
   * The signing secret in full (and the previous one while it still signs): admins only. Each
   * reveal is recorded (SecretRevealed in the webhook's history and the audit); the ETag is the
   * webhook's version, which a reveal does not change.
   */
  @Get(':id/secret')
  @RequireRole('admin')
  @ApiOkResponse({ type: WebhookSecretsResponse })
  async secret(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: HeaderSettable,
  ): Promise<RevealedSecrets & { version: number }> {
    response.setHeader('Cache-Control', 'no-store');
    return withEtag(
      response,
      await this.queries.execute(
        new RevealSecretQuery(id, requestMetadata(principal, correlationId)),
      ),
    );
  }
}
