import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '@app/platform';
import type { DeliveryDetail } from '../../application/delivery.view';
import { ParseDeliveryIdPipe } from '../../http/delivery-id.pipe';
import { DeliveryDetailResponse } from '../../http/delivery.responses';
import { GetDeliveryQuery } from './get-delivery.query';

@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('deliveries')
export class GetDeliveryHttp {
  constructor(private readonly queries: QueryBus) {}

  /** The delivery with its payload and every attempt (request headers, response status and body). */
  @Get(':id')
  @RequireRole('auditor')
  @ApiOkResponse({ type: DeliveryDetailResponse })
  get(@Param('id', ParseDeliveryIdPipe) id: string): Promise<DeliveryDetail> {
    return this.queries.execute(new GetDeliveryQuery(id));
  }
}
