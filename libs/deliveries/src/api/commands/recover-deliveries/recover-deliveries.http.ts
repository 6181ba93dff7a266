import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireRole, type Principal } from '@app/platform';
import { RecoverDeliveriesDto } from '../../http/delivery.dtos';
import { RecoveryResultResponse } from '../../http/delivery.responses';
import { RecoverDeliveriesCommand } from './recover-deliveries.command';
import type { RecoveryResult } from './recover-deliveries.handler';

@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('webhooks')
export class RecoverDeliveriesHttp {
  constructor(private readonly commands: CommandBus) {}

  /**
   * 202: every failed delivery of the webhook created at or after `since` is sent once more
   * (at most 10,000 per call; `capped` says when more remain: call again to go on).
   */
  @Post(':id/recover')
  @HttpCode(202)
  @RequireRole('admin')
  @ApiAcceptedResponse({ type: RecoveryResultResponse })
  recover(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: RecoverDeliveriesDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RecoveryResult> {
    return this.commands.execute(
      new RecoverDeliveriesCommand(id, new Date(body.since), `user:${principal.id}`),
    );
  }
}
