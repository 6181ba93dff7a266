import { DeliveryDispatcher, type DispatchLimits, type Pacing } from './delivery-dispatcher';
import type { DeliveryJob } from './delivery-job';
import type { SendPermits } from './shared-rate-limit';

const job = (id: string, webhookId: string) =>
  ({
    id,
    webhookId,
    eventId: `evt-${id}`,
    eventType: 'license.created',
    environment: 'production',
    body: '{}',
    attempt: 1,
    scheduledAttempts: 0,
    trigger: 'automatic',
    oneShot: false,
    requestedBy: null,
    createdAt: new Date(0),
    origin: { kind: 'memory' },
    hasSummary: false,
  }) as DeliveryJob;

/**
 * Send times as the shared limiter hands them out, without a database: slot n of each second at
 * n/N s, each handed out once (as the unique insert guarantees), never one whose window passed.
 */
class FakePermits implements SendPermits {
  readonly calls: { webhookId: string; wanted: number }[] = [];
  private next = new Map<string, number>();

  reserve(webhookId: string, perSecond: number, wanted: number): Promise<number[]> {
    this.calls.push({ webhookId, wanted });
    const width = 1000 / perSecond;
    const now = Date.now();
    let at = Math.max(this.next.get(webhookId) ?? 0, Math.ceil(now / width) * width);
    const times: number[] = [];
    for (let i = 0; i < Math.min(wanted, perSecond); i++, at += width) times.push(at);
    this.next.set(webhookId, at);
    return Promise.resolve(times);
  }

  graceMs(perSecond: number): number {
    return 500 / perSecond;
  }
}

const LIMITS: DispatchLimits = {
  concurrency: 2,
  perWebhook: 2,
  perHost: 10,
  backlogPerWebhook: 50,
};

/** Attempts that end as soon as they start, noting when. */
function setUp(caps: Record<string, number>) {
  const startedAt = new Map<string, number[]>();
  const permits = new FakePermits();
  const pacing: Pacing = {
    limitOf: (webhookId) => caps[webhookId] ?? null,
    permits,
    now: () => Date.now(),
  };
  const dispatcher = new DeliveryDispatcher(
    LIMITS,
    (j, release) => {
      startedAt.set(j.webhookId, [...(startedAt.get(j.webhookId) ?? []), Date.now()]);
      release();
      return Promise.resolve();
    },
    () => Promise.resolve(),
    (j) => j.webhookId,
    pacing,
  );
  return { dispatcher, permits, startedAt };
}

describe('DeliveryDispatcher with rate caps', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: Date.UTC(2026, 0, 1, 0, 0, 0, 0) });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('given a webhook without a cap, when its jobs come, then they start at once and no send time is ever reserved', async () => {
    const { dispatcher, permits, startedAt } = setUp({});

    await Promise.all([0, 1, 2].map((n) => dispatcher.submit(job(`free-${n}`, 'free'))));

    expect(startedAt.get('free')).toHaveLength(3);
    expect(permits.calls).toEqual([]);
  });

  it('given a cap of 2/s, when 4 jobs come at once, then they start 0.5 s apart, never more than 2 in a second', async () => {
    const { dispatcher, startedAt } = setUp({ capped: 2 });

    const done = Promise.all([0, 1, 2, 3].map((n) => dispatcher.submit(job(`c-${n}`, 'capped'))));
    await jest.advanceTimersByTimeAsync(3_000);
    await done;

    const times = startedAt.get('capped') ?? [];
    expect(times).toHaveLength(4);
    const start = Date.UTC(2026, 0, 1, 0, 0, 0, 0);
    expect(times.map((at) => at - start)).toEqual([0, 500, 1000, 1500]);
  });

  it('given a capped webhook waiting for its next send time, then it holds no slot: an uncapped one goes on meanwhile', async () => {
    const { dispatcher, startedAt } = setUp({ capped: 1 });

    const capped = [0, 1].map((n) => dispatcher.submit(job(`c-${n}`, 'capped')));
    await jest.advanceTimersByTimeAsync(10);
    // Concurrency is 2 overall: had the capped webhook slept in its slots, these would wait.
    await Promise.all([0, 1, 2, 3].map((n) => dispatcher.submit(job(`f-${n}`, 'free'))));
    expect(startedAt.get('free')).toHaveLength(4);
    expect(startedAt.get('capped')).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(1_100);
    await Promise.all(capped);
    expect(startedAt.get('capped')).toHaveLength(2);
  });

  it('given a cap of 2/s, then only about two seconds of jobs wait in memory and the rest are parked', () => {
    const parked: DeliveryJob[] = [];
    const dispatcher = new DeliveryDispatcher(
      LIMITS,
      () => new Promise<void>(() => undefined),
      (j) => {
        parked.push(j);
        return Promise.resolve();
      },
      (j) => j.webhookId,
      { limitOf: () => 2, permits: new FakePermits(), now: () => Date.now() },
    );

    for (let n = 0; n < 10; n++) void dispatcher.submit(job(`c-${n}`, 'capped'));

    // max(2 × cap, perWebhook) = 4 wait; the other 6 go to the queue.
    expect(parked).toHaveLength(6);
    dispatcher.stop();
  });
});
