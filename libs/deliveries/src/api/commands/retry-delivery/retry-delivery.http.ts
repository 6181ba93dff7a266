import { Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireRole, requestMetadata, type Principal } from '@app/platform';
import type { DeliveryDetail } from '../../application/delivery.view';
import { ParseDeliveryIdPipe } from '../../http/delivery-id.pipe';
import { DeliveryDetailResponse } from '../../http/delivery.responses';
import { RetryDeliveryCommand } from './retry-delivery.command';

@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('deliveries')
export class RetryDeliveryHttp {
  constructor(private readonly commands: CommandBus) {}

  /**
   * 202: the worker makes the attempt shortly. A queued delivery is brought forward (its automatic
   * retries go on afterwards); a finished one is sent once more, manually.
   */
  @Post(':id/retry')
  @HttpCode(202)
  @RequireRole('admin')
  @ApiAcceptedResponse({ type: DeliveryDetailResponse })
  retry(
    @Param('id', ParseDeliveryIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Headers('x-correlation-id') correlationId: string | undefined,
  ): Promise<DeliveryDetail> {
    return this.commands.execute(
      new RetryDeliveryCommand(id, requestMetadata(principal, correlationId)),
    );
  }
}
