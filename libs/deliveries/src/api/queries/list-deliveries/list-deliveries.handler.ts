import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DeliveryReader, type DeliveryPage } from '../../application/delivery-reader';
import { ListDeliveriesQuery } from './list-deliveries.query';

@QueryHandler(ListDeliveriesQuery)
export class ListDeliveriesHandler implements IQueryHandler<ListDeliveriesQuery, DeliveryPage> {
  constructor(private readonly reader: DeliveryReader) {}

  execute({ filter, limit, cursor }: ListDeliveriesQuery): Promise<DeliveryPage> {
    return this.reader.list(filter, limit, cursor);
  }
}
