import { Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireRole, requestMetadata, type Principal } from '@app/platform';
import type { DeliveryDetail } from '../../application/delivery.view';
import { DeliveryDetailResponse } from '../../http/delivery.responses';
import { SendTestEventCommand } from './send-test-event.command';

@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('webhooks')
export class SendTestEventHttp {
  constructor(private readonly commands: CommandBus) {}

  /** 202 with the queued test delivery; `Location` is where to watch its attempts. */
  @Post(':id/test')
  @HttpCode(202)
  @RequireRole('admin')
  @ApiAcceptedResponse({
    type: DeliveryDetailResponse,
    headers: {
      Location: {
        description: 'The test delivery: `/api/v1/deliveries/{id}`.',
        schema: { type: 'string' },
      },
    },
  })
  async test(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @Res({ passthrough: true }) response: { setHeader(name: string, value: string): unknown },
  ): Promise<DeliveryDetail> {
    const delivery = await this.commands.execute<SendTestEventCommand, DeliveryDetail>(
      new SendTestEventCommand(id, requestMetadata(principal, correlationId)),
    );
    response.setHeader('Location', `/api/v1/deliveries/${delivery.id}`);
    return delivery;
  }
}
