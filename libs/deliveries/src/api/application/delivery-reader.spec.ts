import type { DeliveryDocument, DeliveryQueueDocument } from '../../storage/delivery.documents';
import { DeliveryNotFoundError } from '../delivery-api.errors';
import type { DeliveryQueueRepository } from '../delivery-queue.repository';
import type { DeliveryRepository } from '../delivery.repository';
import { DeliveryReader } from './delivery-reader';
import { decodeDeliveryCursor, positionBefore, type DeliveryPosition } from './delivery-position';

const T0 = Date.parse('2026-03-01T12:00:00Z');

function summary(
  id: string,
  secondsAgo: number,
  overrides: Partial<DeliveryDocument> = {},
): DeliveryDocument {
  const at = new Date(T0 - secondsAgo * 1000);
  return {
    _id: id,
    webhookId: 'wh-1',
    eventId: `evt-${id}`,
    eventType: 'license.created',
    environment: 'production',
    status: 'failed',
    attemptCount: 1,
    scheduledAttempts: 1,
    nextAttemptAt: null,
    lastAttempt: { number: 1, at, responseStatus: 500, error: 'HTTP 500', durationMs: 3 },
    failureReason: 'every attempt of the retry policy failed',
    requestedBy: null,
    createdAt: at,
    updatedAt: at,
    finishedAt: at,
    ...overrides,
  };
}

function readerOf(
  summaries: DeliveryDocument[],
  queued: Partial<DeliveryQueueDocument>[] = [],
  resumeAt: DeliveryPosition | null = null,
) {
  const deliveries = {
    list: (_filter: unknown, _after: unknown, limit: number) =>
      Promise.resolve({ deliveries: summaries.slice(0, limit), resumeAt }),
    findById: (id: string) => Promise.resolve(summaries.find((s) => s._id === id) ?? null),
    attemptsOf: () => Promise.resolve([]),
    bodyOf: () => Promise.resolve(null),
  };
  const nextOf = (ids: readonly string[]) =>
    Promise.resolve(
      new Map(
        queued
          .filter((entry) => ids.includes(entry.deliveryId as string))
          .map((entry) => [entry.deliveryId as string, entry as DeliveryQueueDocument]),
      ),
    );
  const queue = {
    nextOf,
    webhooksAsking: () => Promise.resolve(new Set<string>()),
    requestedOf: (page: readonly { _id: string }[]) => nextOf(page.map((d) => d._id)),
  };
  return new DeliveryReader(
    deliveries as unknown as DeliveryRepository,
    queue as unknown as DeliveryQueueRepository,
  );
}

describe('DeliveryReader', () => {
  it('given more deliveries than a page, when listed, then the page is full and has a cursor; the last page has none', async () => {
    const reader = readerOf([summary('a', 1), summary('b', 2), summary('c', 3)]);

    const first = await reader.list({}, 2);
    const all = await reader.list({}, 3);

    expect(first.items.map((item) => item.id)).toEqual(['a', 'b']);
    expect(first.nextCursor).not.toBeNull();
    expect(all.nextCursor).toBeNull();
  });

  it('given a page whose read budget ran out, when listed, then it has what was found and a cursor where the read stopped', async () => {
    const stoppedAt = positionBefore(new Date(T0 - 60_000));
    const reader = readerOf([summary('a', 1)], [], stoppedAt);
    const page = await reader.list({ statusClass: '4xx' }, 20);
    expect(page.items.map((item) => item.id)).toEqual(['a']);
    expect(decodeDeliveryCursor(page.nextCursor!)).toEqual(stoppedAt);
  });

  it('given a delivery a user asked to retry, when listed before the attempt, then it names who asked', async () => {
    const reader = readerOf(
      [summary('a', 5)],
      [
        {
          deliveryId: 'a',
          attempt: 2,
          dueAt: new Date(T0),
          trigger: 'manual',
          requestedBy: 'user:ann',
        },
      ],
    );
    const { items } = await reader.list({}, 20);
    expect(items[0].requestedBy).toBe('user:ann');
  });

  it('given a failed delivery with a re-send asked for, when listed, then it shows as pending, due then, with no failure reason', async () => {
    const dueAt = new Date(T0);
    const reader = readerOf([summary('a', 5)], [{ deliveryId: 'a', attempt: 2, dueAt }]);

    const { items } = await reader.list({}, 20);

    expect(items[0]).toMatchObject({
      status: 'pending',
      nextAttemptAt: dueAt.toISOString(),
      failureReason: null,
    });
  });

  it('given a retrying delivery whose retry was brought forward, when read, then it stays retrying, due at the earlier time', async () => {
    const dueAt = new Date(T0);
    const retrying = summary('a', 5, {
      status: 'retrying',
      nextAttemptAt: new Date(T0 + 3_600_000),
      failureReason: null,
    });
    const reader = readerOf([retrying], [{ deliveryId: 'a', attempt: 2, dueAt }]);

    const detail = await reader.get('a');

    expect(detail).toMatchObject({ status: 'retrying', nextAttemptAt: dueAt.toISOString() });
    expect(detail.payload).toBeNull();
  });

  it('given no such delivery, when read, then DeliveryNotFoundError', async () => {
    await expect(readerOf([]).get('nope')).rejects.toBeInstanceOf(DeliveryNotFoundError);
  });
});
