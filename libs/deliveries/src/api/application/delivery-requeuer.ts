import { Injectable } from '@nestjs/common';
import type { DeliveryHistoryDocument } from '../../storage/delivery.documents';
import { DeliveryRetryContentionError } from '../delivery-api.errors';
import { DeliveryHistoryRepository } from '../delivery-history.repository';
import { DeliveryQueueRepository } from '../delivery-queue.repository';
import { manualQueueEntry } from './queue-entries';

/**
 * Each round loses only to the worker moving the delivery between the collections at that very
 * moment, which takes one attempt's time at least; three losses in a row mean something is off.
 */
const MAX_ROUNDS = 3;

/**
 * Schedules manual attempts. Without transactions, every step is one write that either applies or
 * tells what got there first: an update that matches nothing (the entry just left the queue) or an
 * insert that hits the unique `_id` (an entry just appeared), and the next step follows from that.
 */
@Injectable()
export class DeliveryRequeuer {
  constructor(
    private readonly queue: DeliveryQueueRepository,
    private readonly history: DeliveryHistoryRepository,
  ) {}

  /**
   * An attempt of this delivery now, wherever it is: a queued one is brought forward, a finished
   * one gets a manual queue entry. False when no delivery has this id.
   */
  async attemptNow(id: string, now: Date): Promise<boolean> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (await this.queue.bringForward(id, now)) return true;
      const finished = await this.history.findById(id);
      if (!finished) return false;
      if (await this.queue.insert(manualQueueEntry(finished, now))) return true;
    }
    throw new DeliveryRetryContentionError(id);
  }

  /** Re-sends a finished delivery already read from the history (recover). */
  async resend(finished: DeliveryHistoryDocument, now: Date): Promise<void> {
    if (await this.queue.insert(manualQueueEntry(finished, now))) return;
    if (!(await this.attemptNow(finished._id, now))) {
      // Unreachable while the history is insert-only; loud rather than a silent miscount.
      throw new Error(`Delivery ${finished._id} left the history while being recovered`);
    }
  }
}
