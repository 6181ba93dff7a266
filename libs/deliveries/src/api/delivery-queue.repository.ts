import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '@app/event-store';
import { DATABASE_CONNECTION } from '@app/platform';
import {
  DELIVERY_QUEUE_COLLECTION,
  type DeliveryQueueDocument,
} from '../storage/delivery.documents';

/**
 * The api's side of `delivery_queue`: it only adds entries (requested attempts), which a worker
 * claims and carries out, and reads which deliveries have an attempt coming. It never changes an
 * entry, so it never races a worker.
 */
@Injectable()
export class DeliveryQueueRepository {
  private readonly queue: Collection<DeliveryQueueDocument>;

  constructor(@Inject(DATABASE_CONNECTION) connection: Connection) {
    this.queue = connection.collection<DeliveryQueueDocument>(DELIVERY_QUEUE_COLLECTION);
  }

  /** The earliest due entry of each of these deliveries that has one. */
  async nextOf(deliveryIds: readonly string[]): Promise<Map<string, DeliveryQueueDocument>> {
    if (deliveryIds.length === 0) return new Map();
    const entries =
      deliveryIds.length === 1
        ? await this.queue.find({ deliveryId: deliveryIds[0] }).toArray()
        : // `$in` is evaluated by FerretDB over the whole queue, which holds outstanding work only.
          await this.queue.find({ deliveryId: { $in: [...deliveryIds] } }).toArray();
    const next = new Map<string, DeliveryQueueDocument>();
    for (const entry of entries) {
      const known = next.get(entry.deliveryId);
      if (!known || entry.dueAt < known.dueAt) next.set(entry.deliveryId, entry);
    }
    return next;
  }

  /** Adds an entry; false when one with this id exists (the same attempt was asked for already). */
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
