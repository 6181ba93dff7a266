import { Injectable } from '@nestjs/common';
import { DeliveryNotFoundError } from '../delivery-api.errors';
import { DeliveryQueueRepository } from '../delivery-queue.repository';
import { DeliveryRepository } from '../delivery.repository';
import type { DeliveryListFilter } from './delivery-list.filter';
import { decodeDeliveryCursor, encodeDeliveryCursor, positionOf } from './delivery-position';
import { detailOf, listItemOf, type DeliveryDetail, type DeliveryListItem } from './delivery.view';

export interface DeliveryPage {
  items: DeliveryListItem[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** Deliveries as the API shows them: the workers' summaries, with any attempt asked for since. */
@Injectable()
export class DeliveryReader {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly queue: DeliveryQueueRepository,
  ) {}

  async list(filter: DeliveryListFilter, limit: number, cursor?: string): Promise<DeliveryPage> {
    const after = cursor ? decodeDeliveryCursor(cursor) : undefined;
    // Asked for beside the walk, not after it: one round trip fewer per page.
    const asking = this.queue.webhooksAsking();
    asking.catch(() => undefined);
    // One more than needed tells "exactly `limit` left" from "more to come" without another read.
    const { deliveries: found, resumeAt } = await this.deliveries.list(filter, after, limit + 1);
    const page = found.slice(0, limit);
    const coming = await this.queue.requestedOf(page, await asking);
    const last = page.at(-1);
    // A page whose read budget ran out has fewer items (maybe none) and goes on where it stopped.
    const next = found.length > limit && last ? positionOf(last) : resumeAt;
    return {
      items: page.map((summary) => listItemOf(summary, coming.get(summary._id))),
      nextCursor: next ? encodeDeliveryCursor(next) : null,
    };
  }

  async get(id: string): Promise<DeliveryDetail> {
    const summary = await this.deliveries.findById(id);
    if (!summary) throw new DeliveryNotFoundError(id);
    const [attempts, body, coming] = await Promise.all([
      this.deliveries.attemptsOf(id),
      this.deliveries.bodyOf(summary.eventId),
      this.queue.nextOf([id]),
    ]);
    return detailOf(summary, attempts, body, coming.get(id));
  }
}
