import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DeliveryReader } from '../../application/delivery-reader';
import type { DeliveryDetail } from '../../application/delivery.view';
import { GetDeliveryQuery } from './get-delivery.query';

@QueryHandler(GetDeliveryQuery)
export class GetDeliveryHandler implements IQueryHandler<GetDeliveryQuery, DeliveryDetail> {
  constructor(private readonly reader: DeliveryReader) {}

  execute({ deliveryId }: GetDeliveryQuery): Promise<DeliveryDetail> {
    return this.reader.get(deliveryId);
  }
}
