import { Injectable } from '@nestjs/common';
import { DeliveryNotFoundError } from '../delivery-api.errors';
import { DeliveryHistoryRepository } from '../delivery-history.repository';
import { DeliveryQueueRepository } from '../delivery-queue.repository';
import type { DeliveryListFilter } from './delivery-list.filter';
import { mergeDeliveryPage, type MergedPage } from './delivery-page';
import {
  decodeDeliveryCursor,
  encodeDeliveryCursor,
  type DeliveryPosition,
} from './delivery-position';
import { detailOf, listItemOf, type DeliveryDetail, type DeliveryListItem } from './delivery.view';

export interface DeliveryPage {
  items: DeliveryListItem[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/**
 * A page can come out short when history records were hidden by their queue entries; reading on
 * from where it stopped fills it. Bounded, so a pathological stretch of hidden records costs a few
 * reads and a short page (with a cursor), never an unbounded loop.
 */
const MAX_READS_PER_PAGE = 4;

const OUTSTANDING = new Set(['pending', 'retrying']);
const FINISHED = new Set(['succeeded', 'failed']);

/** Deliveries as the API shows them: the queue and the history read as one list. */
@Injectable()
export class DeliveryReader {
  constructor(
    private readonly queue: DeliveryQueueRepository,
    private readonly history: DeliveryHistoryRepository,
  ) {}

  async list(filter: DeliveryListFilter, limit: number, cursor?: string): Promise<DeliveryPage> {
    let after = cursor ? decodeDeliveryCursor(cursor) : undefined;
    const items: DeliveryListItem[] = [];
    for (let read = 0; read < MAX_READS_PER_PAGE && items.length < limit; read++) {
      const page = await this.readOnce(filter, after, limit - items.length);
      items.push(...page.items.map(listItemOf));
      after = page.next ?? undefined;
      if (!after) break;
    }
    return { items, nextCursor: after ? encodeDeliveryCursor(after) : null };
  }

  /** The queue entry when there is one (the delivery's current state), else the history record. */
  async get(id: string): Promise<DeliveryDetail> {
    const delivery = (await this.queue.findById(id)) ?? (await this.history.findById(id));
    if (!delivery) throw new DeliveryNotFoundError(id);
    return detailOf(delivery);
  }

  private async readOnce(
    filter: DeliveryListFilter,
    after: DeliveryPosition | undefined,
    limit: number,
  ): Promise<MergedPage> {
    // One more than needed tells "exactly `limit` left" from "more to come" without another read.
    const fetched = limit + 1;
    // The queue strictly before the history: the worker writes a finished delivery to the history
    // before removing its queue entry, so in this order a delivery moving meanwhile is seen at
    // least once (twice at worst, which the merge folds into one).
    const queue =
      filter.status && FINISHED.has(filter.status)
        ? []
        : await this.queue.list(filter, after, fetched);
    const history =
      filter.status && OUTSTANDING.has(filter.status)
        ? []
        : await this.history.list(filter, after, fetched);
    const queuedIds = await this.queue.queuedAmong(history.map((record) => record._id));
    return mergeDeliveryPage({ queue, history, fetched, queuedIds }, limit);
  }
}
