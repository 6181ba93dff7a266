import { DeliveryNotFoundError } from '../delivery-api.errors';
import type { DeliveryHistoryRepository } from '../delivery-history.repository';
import type { DeliveryQueueRepository } from '../delivery-queue.repository';
import { listed } from '../testing/delivery-fixtures';
import type { DeliveryListFilter } from './delivery-list.filter';
import { compareListOrder, positionOf, type DeliveryPosition } from './delivery-position';
import { DeliveryReader } from './delivery-reader';
import type { ListedDeliveryDocument } from './delivery.view';

/** An in-memory collection answering the list query as the repositories do. */
function fakeCollection(items: ListedDeliveryDocument[]) {
  return {
    items,
    reads: 0,
    list(filter: DeliveryListFilter, after: DeliveryPosition | undefined, limit: number) {
      this.reads++;
      return Promise.resolve(
        items
          .filter((item) => !filter.status || item.status === filter.status)
          .filter((item) => !filter.webhookId || item.webhookId === filter.webhookId)
          .filter((item) => !after || compareListOrder(positionOf(item), after) > 0)
          .sort((a, b) => compareListOrder(positionOf(a), positionOf(b)))
          .slice(0, limit),
      );
    },
    findById(id: string) {
      return Promise.resolve(items.find((item) => item._id === id) ?? null);
    },
    queuedAmong(ids: string[]) {
      return Promise.resolve(new Set(ids.filter((id) => items.some((item) => item._id === id))));
    },
  };
}

function readerOf(queue: ListedDeliveryDocument[], history: ListedDeliveryDocument[]) {
  const q = fakeCollection(queue);
  const h = fakeCollection(history);
  const reader = new DeliveryReader(
    q as unknown as DeliveryQueueRepository,
    h as unknown as DeliveryHistoryRepository,
  );
  return { reader, q, h };
}

async function allPages(reader: DeliveryReader, filter: DeliveryListFilter, limit: number) {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const result = await reader.list(filter, limit, cursor);
    seen.push(...result.items.map((item) => `${item.id}:${item.status}`));
    if (!result.nextCursor) return seen;
    cursor = result.nextCursor;
  }
  throw new Error('paging did not end');
}

/** Deterministic pseudo-random numbers, so a failure replays. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

describe('DeliveryReader', () => {
  it('pages through queue and history with no duplicate and no gap, the queue entry winning', async () => {
    for (let seed = 1; seed <= 30; seed++) {
      const next = random(seed);
      const queue: ListedDeliveryDocument[] = [];
      const history: ListedDeliveryDocument[] = [];
      for (let i = 0; i < 60; i++) {
        // Few distinct times, so many ties on createdAt fall back to the id.
        const secondsAgo = Math.floor(next() * 15);
        const where = next();
        const id = `dlv_${String(i).padStart(3, '0')}`;
        if (where < 0.4) queue.push(listed(id, secondsAgo, { status: 'retrying' }));
        else if (where < 0.8) history.push(listed(id, secondsAgo, { status: 'failed' }));
        else {
          // Retried from the history: both hold it.
          history.push(listed(id, secondsAgo, { status: 'failed' }));
          queue.push(listed(id, secondsAgo, { status: 'pending' }));
        }
      }
      const expected = [...queue, ...history.filter((h) => !queue.some((q) => q._id === h._id))]
        .sort((a, b) => compareListOrder(positionOf(a), positionOf(b)))
        .map((item) => `${item._id}:${item.status}`);
      const limit = 1 + Math.floor(next() * 7);
      const { reader } = readerOf(queue, history);
      expect(await allPages(reader, {}, limit)).toEqual(expected);
      expect(await allPages(reader, { status: 'failed' }, limit)).toEqual(
        expected.filter((entry) => entry.endsWith(':failed')),
      );
    }
  });

  it('reads only the queue for outstanding statuses and only the history for finished ones', async () => {
    const { reader, q, h } = readerOf(
      [listed('dlv_q', 1, { status: 'pending' })],
      [listed('dlv_h', 2, { status: 'succeeded' })],
    );
    const pending = await reader.list({ status: 'pending' }, 10);
    expect(pending.items.map((item) => item.id)).toEqual(['dlv_q']);
    expect([q.reads, h.reads]).toEqual([1, 0]);
    const succeeded = await reader.list({ status: 'succeeded' }, 10);
    expect(succeeded.items.map((item) => item.id)).toEqual(['dlv_h']);
    expect([q.reads, h.reads]).toEqual([1, 1]);
  });

  it('fills a page that hidden history records left short', async () => {
    const queue = [listed('dlv_a', 1, { status: 'pending' })];
    const history = ['dlv_a', 'dlv_b', 'dlv_c', 'dlv_d'].map((id, i) => listed(id, i + 1));
    queue.push(
      listed('dlv_b', 2, { status: 'pending' }),
      listed('dlv_c', 3, { status: 'pending' }),
    );
    const { reader } = readerOf(queue, history);
    const page = await reader.list({ status: 'failed' }, 1);
    expect(page.items.map((item) => item.id)).toEqual(['dlv_d']);
  });

  it('prefers the queue entry for a detail, and 404s an unknown id', async () => {
    const { reader } = readerOf(
      [{ ...listed('dlv_x', 1, { status: 'pending' }), payload: {} } as never],
      [{ ...listed('dlv_x', 1), payload: {} } as never],
    );
    expect((await reader.get('dlv_x')).status).toBe('pending');
    await expect(reader.get('dlv_nope')).rejects.toThrow(DeliveryNotFoundError);
  });
});
