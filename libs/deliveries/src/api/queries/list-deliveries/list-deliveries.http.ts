import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '@app/platform';
import type { DeliveryPage } from '../../application/delivery-reader';
import { ListDeliveriesQueryDto } from '../../http/delivery.dtos';
import { DeliveryPageResponse } from '../../http/delivery.responses';
import { ListDeliveriesQuery } from './list-deliveries.query';

@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('deliveries')
export class ListDeliveriesHttp {
  constructor(private readonly queries: QueryBus) {}

  /**
   * Newest first; `from` (inclusive) and `to` (exclusive) bound the creation time. A page reads a
   * bounded part of the log: with a rarely matching filter it may hold fewer than `limit` items
   * (even none) and still have a `nextCursor` to go on with.
   */
  @Get()
  @RequireRole('auditor')
  @ApiOkResponse({ type: DeliveryPageResponse })
  list(@Query() query: ListDeliveriesQueryDto): Promise<DeliveryPage> {
    return this.queries.execute(
      new ListDeliveriesQuery(
        {
          webhookId: query.webhookId,
          status: query.status,
          eventType: query.eventType,
          eventId: query.eventId,
          environment: query.environment,
          statusClass: query.statusClass,
          from: query.from ? new Date(query.from) : undefined,
          to: query.to ? new Date(query.to) : undefined,
        },
        query.limit ?? 20,
        query.cursor,
      ),
    );
  }
}
