import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { DATABASE_CONNECTION } from '@app/platform';
import {
  DELIVERIES_COLLECTION,
  DELIVERY_ATTEMPTS_COLLECTION,
  PLATFORM_EVENTS_COLLECTION,
  type DeliveryAttemptDocument,
  type DeliveryDocument,
  type PlatformEventDocument,
} from '../storage/delivery.documents';
import {
  deliveryListQuery,
  DELIVERY_LIST_SORT,
  type DeliveryListFilter,
} from './application/delivery-list.filter';
import type { DeliveryPosition } from './application/delivery-position';

/**
 * The api's reads of what the workers recorded: delivery summaries (lists, filters), their
 * attempts, and the events' bodies. The api never writes these; it only adds queue entries.
 */
@Injectable()
export class DeliveryRepository {
  private readonly deliveries: Collection<DeliveryDocument>;
  private readonly attempts: Collection<DeliveryAttemptDocument>;
  private readonly events: Collection<PlatformEventDocument>;

  constructor(@Inject(DATABASE_CONNECTION) connection: Connection) {
    this.deliveries = connection.collection<DeliveryDocument>(DELIVERIES_COLLECTION);
    this.attempts = connection.collection<DeliveryAttemptDocument>(DELIVERY_ATTEMPTS_COLLECTION);
    this.events = connection.collection<PlatformEventDocument>(PLATFORM_EVENTS_COLLECTION);
  }

  list(
    filter: DeliveryListFilter,
    after: DeliveryPosition | undefined,
    limit: number,
  ): Promise<DeliveryDocument[]> {
    return this.deliveries
      .find(deliveryListQuery(filter, after))
      .sort(DELIVERY_LIST_SORT)
      .limit(limit)
      .toArray();
  }

  findById(id: string): Promise<DeliveryDocument | null> {
    return this.deliveries.findOne({ _id: id });
  }

  /** Every attempt of the delivery, in order (a duplicate send right after the attempt it repeats). */
  async attemptsOf(id: string): Promise<DeliveryAttemptDocument[]> {
    const attempts = await this.attempts.find({ deliveryId: id }).toArray();
    return attempts.sort((a, b) => a.number - b.number || a.at.getTime() - b.at.getTime());
  }

  /** The request body the event's deliveries send, or null when it is not stored (any more). */
  async bodyOf(eventId: string): Promise<string | null> {
    const event = await this.events.findOne({ _id: eventId }, { projection: { body: 1 } });
    return typeof event?.body === 'string' && event.body !== '' ? event.body : null;
  }

  /**
   * The failed deliveries to one webhook created at or after `since`, oldest first, streamed so a
   * large recovery never holds them all in memory. Webhook and status are equalities (handed down
   * by FerretDB); the time range is applied over what they leave.
   */
  failedSince(webhookId: string, since: Date): AsyncIterable<DeliveryDocument> {
    return this.deliveries
      .find({ webhookId, status: 'failed', createdAt: { $gte: since } })
      .sort({ createdAt: 1, _id: 1 });
  }
}
