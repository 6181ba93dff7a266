import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { DATABASE_CONNECTION } from '@app/platform';
import {
  DELIVERY_QUEUE_COLLECTION,
  type DeliveryQueueDocument,
} from '../storage/delivery.documents';
import {
  DELIVERY_QUEUE_LANES_COLLECTION,
  DELIVERY_QUEUE_SLOTS_COLLECTION,
  directoryOf,
  MANUAL_SLOT,
  type QueueLaneDocument,
  type QueueSlotDocument,
} from '../storage/queue-layout';
import { insertOnce } from '../storage/queue-store';

/**
 * The api's side of `delivery_queue`: it only adds entries (requested attempts), which a worker
 * claims and carries out, and reads which deliveries have an attempt coming. It never changes an
 * entry, so it never races a worker.
 */
@Injectable()
export class DeliveryQueueRepository {
  private readonly queue: Collection<DeliveryQueueDocument>;
  private readonly lanes: Collection<QueueLaneDocument>;
  private readonly slots: Collection<QueueSlotDocument>;

  constructor(@Inject(DATABASE_CONNECTION) connection: Connection) {
    this.queue = connection.collection<DeliveryQueueDocument>(DELIVERY_QUEUE_COLLECTION);
    this.lanes = connection.collection<QueueLaneDocument>(DELIVERY_QUEUE_LANES_COLLECTION);
    this.slots = connection.collection<QueueSlotDocument>(DELIVERY_QUEUE_SLOTS_COLLECTION);
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

  /**
   * The webhooks with a manual lane listed: those with an attempt asked for and not made yet (one
   * small read, usually none). Independent of any page, so a list asks for it beside its walk.
   */
  async webhooksAsking(): Promise<Set<string>> {
    const lanes = await this.lanes.find({ slot: MANUAL_SLOT }).toArray();
    return new Set(lanes.map((lane) => lane.webhookId));
  }

  /**
   * The attempts asked for (and not made yet) of these deliveries, by delivery: only those of
   * webhooks `asking` (webhooksAsking) are looked up (a scheduled retry is already on its
   * summary), so a page of the log usually costs no queue reads at all.
   */
  async requestedOf(
    deliveries: readonly { _id: string; webhookId: string }[],
    asking: ReadonlySet<string>,
  ): Promise<Map<string, DeliveryQueueDocument>> {
    const ids = deliveries.filter((d) => asking.has(d.webhookId)).map((d) => d._id);
    return ids.length === 0 ? new Map() : this.nextOf(ids);
  }

  /**
   * Adds an entry in its listed lane (queue-layout.ts). False when one with this id existed (the
   * same attempt was asked for already).
   */
  async insert(entry: DeliveryQueueDocument): Promise<boolean> {
    // Listed before (a crash in between strands nothing) and after (a poller may unlist a manual
    // lane it read empty in between).
    const listing = directoryOf(entry);
    if (listing.slot) await insertOnce(this.slots, listing.slot);
    await insertOnce(this.lanes, listing.lane);
    const inserted = await insertOnce(this.queue, entry);
    await insertOnce(this.lanes, listing.lane);
    return inserted;
  }
}
