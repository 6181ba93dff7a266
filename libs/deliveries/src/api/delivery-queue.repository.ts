import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '@app/event-store';
import { DATABASE_CONNECTION } from '@app/platform';
import {
  DELIVERY_QUEUE_COLLECTION,
  type DeliveryQueueDocument,
} from '../storage/delivery.documents';
import { listDeliveries, type DeliveryListFilter } from './application/delivery-list.filter';
import type { DeliveryPosition } from './application/delivery-position';
import type { ListedDeliveryDocument } from './application/delivery.view';

/**
 * The api's reads and writes of `delivery_queue` (outstanding deliveries). The worker owns the
 * entries' lifecycle; the api only adds entries (manual sends) and brings due dates forward.
 */
@Injectable()
export class DeliveryQueueRepository {
  private readonly queue: Collection<DeliveryQueueDocument>;

  constructor(@Inject(DATABASE_CONNECTION) connection: Connection) {
    this.queue = connection.collection(
      DELIVERY_QUEUE_COLLECTION,
    ) as unknown as Collection<DeliveryQueueDocument>;
  }

  list(
    filter: DeliveryListFilter,
    after: DeliveryPosition | undefined,
    limit: number,
  ): Promise<ListedDeliveryDocument[]> {
    return listDeliveries(this.queue, filter, after, limit);
  }

  findById(id: string): Promise<DeliveryQueueDocument | null> {
    return this.queue.findOne({ _id: id });
  }

  /**
   * Which of these ids have a queue entry, whatever its status or age: such an entry is the
   * delivery's current state, so the history record of the same id is stale. `$in` is evaluated by
   * FerretDB over the whole queue, which is fine because the queue holds outstanding work only.
   */
  async queuedAmong(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const found = await this.queue
      .find({ _id: { $in: [...ids] } }, { projection: { _id: 1 } })
      .toArray();
    return new Set(found.map((entry) => entry._id));
  }

  /** The ids of every outstanding delivery to one webhook (an equality FerretDB hands down). */
  async queuedForWebhook(webhookId: string): Promise<Set<string>> {
    const found = await this.queue.find({ webhookId }, { projection: { _id: 1 } }).toArray();
    return new Set(found.map((entry) => entry._id));
  }

  /**
   * Makes the entry due now, keeping its automatic schedule (`manual` untouched): false when there
   * is no such entry (it may just have moved to the history). An entry a worker holds right now is
   * being attempted already; that attempt's outcome then sets the next due date.
   */
  async bringForward(id: string, now: Date): Promise<boolean> {
    const result = await this.queue.updateOne(
      { _id: id },
      { $set: { nextAttemptAt: now, updatedAt: now } },
    );
    return result.matchedCount > 0;
  }

  /** Adds an entry; false when one with this id exists (the unique `_id` decides any race). */
  async insert(entry: DeliveryQueueDocument): Promise<boolean> {
    try {
      await this.queue.insertOne(entry);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}
