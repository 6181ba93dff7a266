import type {
  DeliveryHistoryDocument,
  DeliveryQueueDocument,
} from '../../storage/delivery.documents';
import { DeliveryRetryContentionError } from '../delivery-api.errors';
import type { DeliveryHistoryRepository } from '../delivery-history.repository';
import type { DeliveryQueueRepository } from '../delivery-queue.repository';
import { DeliveryRequeuer } from './delivery-requeuer';

const now = new Date('2026-03-01T12:00:00Z');

function finished(id: string): DeliveryHistoryDocument {
  return {
    _id: id,
    webhookId: 'wh',
    eventId: 'evt',
    eventType: 'license.created',
    environment: 'production',
    payload: {
      id: 'evt',
      type: 'license.created',
      environment: 'production',
      occurredAt: '',
      data: {},
    },
    status: 'failed',
    attempts: [],
    attemptCount: 0,
    scheduledAttempts: 0,
    createdAt: now,
    updatedAt: now,
    nextAttemptAt: null,
    finishedAt: now,
  };
}

/** A queue whose answers are scripted, to replay the races with the worker. */
function setUp(script: { bringForward: boolean[]; insert: boolean[]; history?: string[] }) {
  const inserted: DeliveryQueueDocument[] = [];
  const calls: string[] = [];
  const queue = {
    bringForward: jest.fn((id: string) => {
      calls.push(`bringForward ${id}`);
      return Promise.resolve(script.bringForward.shift() ?? false);
    }),
    insert: jest.fn((entry: DeliveryQueueDocument) => {
      calls.push(`insert ${entry._id}`);
      inserted.push(entry);
      return Promise.resolve(script.insert.shift() ?? true);
    }),
  };
  const history = {
    findById: jest.fn((id: string) =>
      Promise.resolve((script.history ?? []).includes(id) ? finished(id) : null),
    ),
  };
  const requeuer = new DeliveryRequeuer(
    queue as unknown as DeliveryQueueRepository,
    history as unknown as DeliveryHistoryRepository,
  );
  return { requeuer, calls, inserted };
}

describe('DeliveryRequeuer', () => {
  it('brings a queued delivery forward and writes nothing else', async () => {
    const { requeuer, calls } = setUp({ bringForward: [true], insert: [] });
    expect(await requeuer.attemptNow('dlv_q', now)).toBe(true);
    expect(calls).toEqual(['bringForward dlv_q']);
  });

  it('queues a finished delivery as a manual entry', async () => {
    const { requeuer, calls, inserted } = setUp({
      bringForward: [false],
      insert: [true],
      history: ['dlv_h'],
    });
    expect(await requeuer.attemptNow('dlv_h', now)).toBe(true);
    expect(calls).toEqual(['bringForward dlv_h', 'insert dlv_h']);
    expect(inserted[0]).toMatchObject({ status: 'pending', manual: true, nextAttemptAt: now });
  });

  it('brings forward the entry that appeared meanwhile when the insert hits its id', async () => {
    const { requeuer, calls } = setUp({
      bringForward: [false, true],
      insert: [false],
      history: ['dlv_h'],
    });
    expect(await requeuer.attemptNow('dlv_h', now)).toBe(true);
    expect(calls).toEqual(['bringForward dlv_h', 'insert dlv_h', 'bringForward dlv_h']);
  });

  it('answers false for an unknown delivery', async () => {
    const { requeuer } = setUp({ bringForward: [false], insert: [] });
    expect(await requeuer.attemptNow('dlv_none', now)).toBe(false);
  });

  it('gives up after losing every round to the worker', async () => {
    const { requeuer } = setUp({
      bringForward: [false, false, false],
      insert: [false, false, false],
      history: ['dlv_h'],
    });
    await expect(requeuer.attemptNow('dlv_h', now)).rejects.toThrow(DeliveryRetryContentionError);
  });

  it('resends a history record: insert first, and bring forward on a duplicate', async () => {
    const fresh = setUp({ bringForward: [], insert: [true] });
    await fresh.requeuer.resend(finished('dlv_a'), now);
    expect(fresh.calls).toEqual(['insert dlv_a']);

    const raced = setUp({ bringForward: [true], insert: [false] });
    await raced.requeuer.resend(finished('dlv_b'), now);
    expect(raced.calls).toEqual(['insert dlv_b', 'bringForward dlv_b']);
  });
});
