import {
  Body,
  Controller,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireRole, requestMetadata, type Principal } from '@app/platform';
import { RecoverDeliveriesDto } from '../../http/delivery.dtos';
import { RecoveryPreviewResponse, RecoveryResultResponse } from '../../http/delivery.responses';
import { PreviewRecoveryQuery } from '../../queries/preview-recovery/preview-recovery.query';
import type { RecoveryPreview } from '../../queries/preview-recovery/preview-recovery.handler';
import { RecoverDeliveriesCommand } from './recover-deliveries.command';
import type { RecoveryResult } from './recover-deliveries.handler';

@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('webhooks')
export class RecoverDeliveriesHttp {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /**
   * 202: every failed delivery of the webhook created at or after `since` is sent once more
   * (at most 10,000 per call; `capped` says when more remain: call again to go on), and the
   * request is recorded in the webhook's history. With `dryRun: true`, 200 with how many would
   * be re-sent: nothing is sent or recorded.
   */
  @Post(':id/recover')
  @HttpCode(202)
  @RequireRole('admin')
  @ApiAcceptedResponse({ type: RecoveryResultResponse, description: 'Re-sending (no `dryRun`).' })
  @ApiOkResponse({ type: RecoveryPreviewResponse, description: '`dryRun`: what would be re-sent.' })
  async recover(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: RecoverDeliveriesDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ): Promise<RecoveryResult | RecoveryPreview> {
    const since = new Date(body.since);
    if (body.dryRun === true) {
      response.status(200);
      return this.queries.execute(new PreviewRecoveryQuery(id, since));
    }
    return this.commands.execute(
      new RecoverDeliveriesCommand(id, since, requestMetadata(principal, correlationId)),
    );
  }
}
