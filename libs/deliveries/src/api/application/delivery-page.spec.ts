import { listed } from '../testing/delivery-fixtures';
import { mergeDeliveryPage } from './delivery-page';

const ids = (items: Array<{ _id: string }>) => items.map((item) => item._id);

describe('mergeDeliveryPage', () => {
  it('interleaves both sources newest first and cuts to the limit', () => {
    const page = mergeDeliveryPage(
      {
        queue: [listed('q1', 1), listed('q2', 4)],
        history: [listed('h1', 2), listed('h2', 3), listed('h3', 5)],
        fetched: 4,
        queuedIds: new Set(),
      },
      3,
    );
    expect(ids(page.items)).toEqual(['q1', 'h1', 'h2']);
    expect(page.next).toEqual({ createdAt: listed('h2', 3).createdAt, id: 'h2' });
  });

  it('ends (next null) when neither source filled its read', () => {
    const page = mergeDeliveryPage(
      { queue: [listed('q1', 1)], history: [listed('h1', 2)], fetched: 3, queuedIds: new Set() },
      2,
    );
    expect(ids(page.items)).toEqual(['q1', 'h1']);
    expect(page.next).toBeNull();
  });

  it('lets the queue entry win over the history record of the same id', () => {
    const page = mergeDeliveryPage(
      {
        queue: [listed('same', 2, { status: 'pending' })],
        history: [listed('h1', 1), listed('same', 2), listed('gone', 3)],
        fetched: 5,
        // 'gone' has a queue entry that this filter did not list (e.g. status=failed).
        queuedIds: new Set(['same', 'gone']),
      },
      10,
    );
    expect(page.items.map((item) => `${item._id}:${item.status}`)).toEqual([
      'h1:failed',
      'same:pending',
    ]);
  });

  it('holds back what lies past a full source, and points the next page at that cut-off', () => {
    // The history was read up to h2 and may hold more right after it; q3, past that point, waits.
    const page = mergeDeliveryPage(
      {
        queue: [listed('q1', 1), listed('q3', 9)],
        history: [listed('h1', 2), listed('h2', 3)],
        fetched: 2,
        queuedIds: new Set(['h1', 'h2']),
      },
      1,
    );
    expect(ids(page.items)).toEqual(['q1']);
    expect(page.next?.id).toBe('h2');

    const short = mergeDeliveryPage(
      {
        queue: [listed('q3', 9)],
        history: [listed('h1', 2), listed('h2', 3)],
        fetched: 2,
        queuedIds: new Set(['h1', 'h2']),
      },
      1,
    );
    expect(ids(short.items)).toEqual([]);
    expect(short.next?.id).toBe('h2');
  });
});
