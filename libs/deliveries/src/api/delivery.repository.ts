import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { AppConfig } from '@app/config';
import { CLOCK, type Clock } from '@app/event-store';
import { DATABASE_CONNECTION } from '@app/platform';
import {
  DELIVERIES_COLLECTION,
  DELIVERY_ATTEMPTS_COLLECTION,
  PLATFORM_EVENTS_COLLECTION,
  type DeliveryAttemptDocument,
  type DeliveryDocument,
  type PlatformEventDocument,
} from '../storage/delivery.documents';
import { walkSlots, type SlotReader } from '../storage/slot-walk';
import { deliveryOf, type StoredDelivery } from '../storage/stored-delivery';
import { deliveryEqualities, type DeliveryListFilter } from './application/delivery-list.filter';
import {
  compareListOrder,
  positionOf,
  type DeliveryPosition,
} from './application/delivery-position';

const DAY_MS = 86_400_000;
/** Records stamped ahead of this process's clock (another process's clock) are still listed. */
const CLOCK_SKEW_MS = DAY_MS;

/**
 * The api's reads of what the workers recorded: delivery summaries (lists, filters), their
 * attempts, and the events' bodies. The api never writes these; it only adds queue entries.
 *
 * Lists walk the summaries by the time slots of their creation (storage/slot-walk.ts), so a page
 * costs about what it shows, however many deliveries are kept; the walk reaches back as far as
 * retention keeps deliveries (DELIVERY_RETENTION_DAYS, and a day more for the pruner's pace).
 */
@Injectable()
export class DeliveryRepository {
  private readonly deliveries: Collection<StoredDelivery>;
  private readonly attempts: Collection<DeliveryAttemptDocument>;
  private readonly events: Collection<PlatformEventDocument>;
  private readonly retentionMs: number;

  constructor(
    @Inject(DATABASE_CONNECTION) connection: Connection,
    @Inject(CLOCK) private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.deliveries = connection.collection<StoredDelivery>(DELIVERIES_COLLECTION);
    this.attempts = connection.collection<DeliveryAttemptDocument>(DELIVERY_ATTEMPTS_COLLECTION);
    this.events = connection.collection<PlatformEventDocument>(PLATFORM_EVENTS_COLLECTION);
    this.retentionMs = (config.deliveryRetentionDays + 1) * DAY_MS;
  }

  /** Up to `limit` deliveries matching the filter, newest first, after `after` when given. */
  async list(
    filter: DeliveryListFilter,
    after: DeliveryPosition | undefined,
    limit: number,
  ): Promise<DeliveryDocument[]> {
    const now = this.clock.now().getTime();
    const toMs = Math.min(
      filter.to?.getTime() ?? Infinity,
      after ? after.createdAt.getTime() + 1 : Infinity,
      now + CLOCK_SKEW_MS,
    );
    const fromMs = Math.max(filter.from?.getTime() ?? -Infinity, now - this.retentionMs);
    const found: DeliveryDocument[] = [];
    const walk = walkSlots(this.reader(), {
      filter: deliveryEqualities(filter),
      fromMs,
      toMs,
      order: 'newest',
      probe: Math.max(limit, 20) + 1,
      timeOf: (stored) => stored.createdAt.getTime(),
      compare: (a, b) => compareListOrder(positionOf(a), positionOf(b)),
    });
    for await (const { records } of walk) {
      for (const stored of records) {
        if (after && compareListOrder(after, positionOf(stored)) >= 0) continue;
        found.push(deliveryOf(stored));
        if (found.length >= limit) return found;
      }
    }
    return found;
  }

  async findById(id: string): Promise<DeliveryDocument | null> {
    const stored = await this.deliveries.findOne({ _id: id });
    return stored && deliveryOf(stored);
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
   * The failed deliveries to one webhook created at or after `since`, oldest first, read slot by
   * slot so a large recovery never holds them all in memory.
   */
  async *failedSince(webhookId: string, since: Date): AsyncIterable<DeliveryDocument> {
    const walk = walkSlots(this.reader(), {
      filter: { webhookId, status: 'failed' },
      fromMs: since.getTime(),
      toMs: this.clock.now().getTime() + CLOCK_SKEW_MS,
      order: 'oldest',
      probe: 200,
      timeOf: (stored) => stored.createdAt.getTime(),
      compare: (a, b) => compareListOrder(positionOf(b), positionOf(a)),
    });
    for await (const { records } of walk) {
      for (const stored of records) yield deliveryOf(stored);
    }
  }

  private reader(): SlotReader<StoredDelivery> {
    return (query, limit) => {
      const cursor = this.deliveries.find(query);
      return (limit === undefined ? cursor : cursor.limit(limit)).toArray();
    };
  }
}
