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

  /**
   * The earliest due entry of each of these deliveries that has one: one equality read per
   * delivery, all at once (a page's worth), so it costs the page, never the queue's backlog.
   */
  async nextOf(deliveryIds: readonly string[]): Promise<Map<string, DeliveryQueueDocument>> {
    const found = await Promise.all(
      deliveryIds.map((deliveryId) => this.queue.find({ deliveryId }).toArray()),
    );
    const next = new Map<string, DeliveryQueueDocument>();
    for (const entry of found.flat()) {
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
