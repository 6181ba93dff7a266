import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { DATABASE_CONNECTION } from '@app/platform';
import {
  DELIVERIES_COLLECTION,
  PLATFORM_EVENTS_COLLECTION,
  type DeliveryDocument,
  type PlatformEventDocument,
} from '../../storage/delivery.documents';
import { ALL_EVENTS, scopesOf } from '../../storage/delivery-scopes';
import {
  DELIVERY_SLOTS_COLLECTION,
  entriesFor,
  SlotDirectoryWriter,
  type SlotEntry,
} from '../../storage/slot-directory';
import { storedDelivery, type StoredDelivery } from '../../storage/stored-delivery';
import { DeliveryQueueRepository } from '../delivery-queue.repository';
import { DeliveryRepository } from '../delivery.repository';
import { requestedAttempt, testDelivery, testEventId, type TestDelivery } from './queue-entries';

/**
 * Attempts that admins ask for (retry, recover, test). The api only inserts queue entries (and, for
 * a test, its event and pending delivery), which a worker claims and carries out: every write here
 * is an insert whose unique id says whether the same attempt was asked for already, so the api
 * never changes a document a worker may be changing.
 */
@Injectable()
export class AttemptRequests {
  private readonly events: Collection<PlatformEventDocument>;
  private readonly summaries: Collection<StoredDelivery>;
  private readonly directory: SlotDirectoryWriter;

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly queue: DeliveryQueueRepository,
    @Inject(DATABASE_CONNECTION) connection: Connection,
  ) {
    this.events = connection.collection<PlatformEventDocument>(PLATFORM_EVENTS_COLLECTION);
    this.summaries = connection.collection<StoredDelivery>(DELIVERIES_COLLECTION);
    this.directory = new SlotDirectoryWriter(
      connection.collection<SlotEntry>(DELIVERY_SLOTS_COLLECTION),
    );
  }

  /**
   * The next attempt of the delivery, now: a retry brought forward, or one more send of a
   * finished delivery. Its summary, or null when no delivery has this id.
   */
  async attemptNow(
    deliveryId: string,
    requestedBy: string,
    now: Date,
  ): Promise<DeliveryDocument | null> {
    const summary = await this.deliveries.findById(deliveryId);
    if (!summary) return null;
    // A duplicate: this very attempt was asked for already, and is coming.
    await this.queue.insert(requestedAttempt(summary, requestedBy, now));
    return summary;
  }

  /** One more send of a failed delivery (recover); false when it had been asked for already. */
  resend(failed: DeliveryDocument, requestedBy: string, now: Date): Promise<boolean> {
    return this.queue.insert(requestedAttempt(failed, requestedBy, now));
  }

  /** A `webhook.test` event for the webhook, its pending delivery, and the attempt, due now. */
  async test(
    webhook: { id: string; environment: string },
    requestedBy: string,
    now: Date,
  ): Promise<TestDelivery> {
    const test = testDelivery(webhook, testEventId(), requestedBy, now);
    // In this order, so a worker that claims the attempt finds its body and its summary, and
    // lists and retention find both.
    await this.directory.register([
      ...entriesFor([ALL_EVENTS], test.event.receivedAt),
      ...entriesFor(scopesOf(test.delivery), test.delivery.createdAt),
    ]);
    await this.events.insertOne(test.event);
    await this.summaries.insertOne(storedDelivery(test.delivery));
    // The event id is 96 random bits: a duplicate key here would be a broken random source.
    if (!(await this.queue.insert(test.entry))) {
      throw new Error(`Test delivery ${test.entry._id} collided with an existing delivery`);
    }
    return test;
  }
}
