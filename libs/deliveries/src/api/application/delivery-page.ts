import { compareListOrder, positionOf, type DeliveryPosition } from './delivery-position';
import type { ListedDeliveryDocument } from './delivery.view';

/** One read of both collections, each sorted in list order and cut at `fetched` items. */
export interface DeliverySources {
  queue: ListedDeliveryDocument[];
  history: ListedDeliveryDocument[];
  /** How many items each source was asked for: a source that returned as many may hold more. */
  fetched: number;
  /** Ids among `history` that have a queue entry anywhere in the queue (whatever the filter). */
  queuedIds: ReadonlySet<string>;
}

export interface MergedPage {
  items: ListedDeliveryDocument[];
  /** Where the next page starts; null when both sources are exhausted. */
  next: DeliveryPosition | null;
}

/**
 * Merges a read of the queue and of the history into one page of at most `limit` deliveries,
 * newest first, the queue entry winning over a history record of the same id.
 *
 * A source that returned all it was asked for may hold more beyond its last item, so only items up
 * to the earlier of those cut-offs are known to be complete and in order; anything past it waits
 * for the next page. The page can come out short when history records were dropped for their queue
 * entry; `next` then points at the cut-off, so paging neither skips nor repeats a delivery.
 */
export function mergeDeliveryPage(sources: DeliverySources, limit: number): MergedPage {
  const cutOffs = [sources.queue, sources.history]
    .filter((items) => items.length >= sources.fetched && items.length > 0)
    .map((items) => positionOf(items[items.length - 1]));
  const cutOff = cutOffs.sort(compareListOrder)[0];

  const onThisPage = new Set(sources.queue.map((entry) => entry._id));
  const merged = [
    ...sources.queue,
    ...sources.history.filter(
      (record) => !sources.queuedIds.has(record._id) && !onThisPage.has(record._id),
    ),
  ]
    .filter((item) => !cutOff || compareListOrder(positionOf(item), cutOff) <= 0)
    .sort((a, b) => compareListOrder(positionOf(a), positionOf(b)));

  if (merged.length > limit) {
    const items = merged.slice(0, limit);
    return { items, next: positionOf(items[items.length - 1]) };
  }
  return { items: merged, next: cutOff ?? null };
}
