import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireRole, requestMetadata, type Principal } from '@app/platform';
import { RetryFailedDeliveriesDto } from '../../http/delivery.dtos';
import { BulkRetryCountResponse, BulkRetryResultResponse } from '../../http/delivery.responses';
import { CountFailedDeliveriesQuery } from '../../queries/count-failed-deliveries/count-failed-deliveries.query';
import type { FailedDeliveriesCount } from '../../queries/count-failed-deliveries/count-failed-deliveries.handler';
import { RetryFailedDeliveriesCommand } from './retry-failed-deliveries.command';
import type { BulkRetryResult } from './retry-failed-deliveries.handler';

@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('deliveries')
export class RetryFailedDeliveriesHttp {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /**
   * 202: up to `limit` failed deliveries matching the filter, newest first, are sent once more
   * (a manual retry each); call again with `nextCursor` until it is null. A call may re-send fewer
   * than `limit` (even none) and still return a cursor: it reads a bounded part of the log. With
   * `dryRun: true`, 200 with how many match (up to 10,000): nothing is sent or recorded.
   */
  @Post('retry')
  @HttpCode(202)
  @RequireRole('admin')
  @ApiAcceptedResponse({ type: BulkRetryResultResponse, description: 'Re-sending (no `dryRun`).' })
  @ApiOkResponse({ type: BulkRetryCountResponse, description: '`dryRun`: how many match.' })
  async retry(
    @Body() body: RetryFailedDeliveriesDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ): Promise<BulkRetryResult | FailedDeliveriesCount> {
    const filter = { ...body.filter };
    if (body.dryRun === true) {
      response.status(200);
      return this.queries.execute(new CountFailedDeliveriesQuery(filter));
    }
    return this.commands.execute(
      new RetryFailedDeliveriesCommand(
        filter,
        body.limit ?? 100,
        body.cursor,
        requestMetadata(principal, correlationId),
      ),
    );
  }
}
