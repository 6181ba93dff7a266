import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { DATABASE_CONNECTION } from '@app/platform';
import {
  DELIVERY_HISTORY_COLLECTION,
  type DeliveryHistoryDocument,
} from '../storage/delivery.documents';
import { listDeliveries, type DeliveryListFilter } from './application/delivery-list.filter';
import type { DeliveryPosition } from './application/delivery-position';
import type { ListedDeliveryDocument } from './application/delivery.view';

/** The api's reads of `deliveries`, the history of finished deliveries. The api never writes it. */
@Injectable()
export class DeliveryHistoryRepository {
  private readonly history: Collection<DeliveryHistoryDocument>;

  constructor(@Inject(DATABASE_CONNECTION) connection: Connection) {
    this.history = connection.collection(
      DELIVERY_HISTORY_COLLECTION,
    ) as unknown as Collection<DeliveryHistoryDocument>;
  }

  list(
    filter: DeliveryListFilter,
    after: DeliveryPosition | undefined,
    limit: number,
  ): Promise<ListedDeliveryDocument[]> {
    return listDeliveries(this.history, filter, after, limit);
  }

  findById(id: string): Promise<DeliveryHistoryDocument | null> {
    return this.history.findOne({ _id: id });
  }

  /**
   * The failed deliveries to one webhook created at or after `since`, oldest first, streamed so a
   * large recovery never holds them all in memory. Webhook and status are equalities (handed down
   * by FerretDB); the time range is applied over what they leave.
   */
  failedSince(webhookId: string, since: Date): AsyncIterable<DeliveryHistoryDocument> {
    return this.history
      .find({ webhookId, status: 'failed', createdAt: { $gte: since } })
      .sort({ createdAt: 1, _id: 1 });
  }
}
