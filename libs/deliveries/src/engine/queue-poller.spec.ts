import type { DeliveryQueueDocument } from '../storage/delivery.documents';
import { SLOT_MS } from '../storage/queue-layout';
import { InMemoryQueueStore, queueEntry } from '../storage/testing/in-memory-queue-store';
import type { ClaimOutcome } from './delivery-claims';
import { DeliveryDispatcher, type DispatchLimits } from './delivery-dispatcher';
import type { DeliveryJob } from './delivery-job';
import { QueuePoller } from './queue-poller';

/** 10 s into a minute, so "the minute under way" has a past and a future. */
const START = Date.UTC(2026, 11, 1, 12, 0, 10);
const minutesAgo = (n: number) => new Date(START - n * SLOT_MS);

/** Claims as the database makes them: one claimant per attempt; `elsewhere` are another worker's. */
function fakeClaims() {
  const held = new Set<string>();
  const elsewhere = new Set<string>();
  return {
    held,
    elsewhere,
    claim: (entries: DeliveryQueueDocument[], now: Date, leaseUntil: Date) => {
      const won: ClaimOutcome[] = [];
      for (const entry of entries) {
        const key = `${entry.deliveryId}:${entry.attempt}`;
        if (held.has(key) || elsewhere.has(key)) continue;
        held.add(key);
        won.push({ entry, claim: { key, id: `${key}#1`, leaseUntil } });
      }
      return Promise.resolve(won);
    },
    release: (claim: { key: string }) => {
      held.delete(claim.key);
      return Promise.resolve();
    },
  };
}

interface Rig {
  store: InMemoryQueueStore;
  claims: ReturnType<typeof fakeClaims>;
  started: DeliveryJob[];
  /** Records the attempt of a started job (its entries leave the queue) and ends it. */
  finish: (job: DeliveryJob) => void;
  /** Ends a started job's request (its slots free) while its record is still being written. */
  requestOver: (job: DeliveryJob) => void;
  poller: QueuePoller;
  clock: { now: number };
}

function rig(
  limits: Partial<DispatchLimits> = {},
  store: InMemoryQueueStore = new InMemoryQueueStore(),
): Rig {
  const claims = fakeClaims();
  const started: DeliveryJob[] = [];
  const ends = new Map<string, () => void>();
  const releases = new Map<string, () => void>();
  const clock = { now: START };
  const dispatcher = new DeliveryDispatcher(
    { concurrency: 8, perWebhook: 2, perHost: 100, backlogPerWebhook: 100, ...limits },
    (job, release) =>
      new Promise<void>((resolve) => {
        started.push(job);
        releases.set(job.id, release);
        ends.set(job.id, () => {
          release();
          store.remove(job.id, job.attempt);
          claims.held.delete(`${job.id}:${job.attempt}`);
          resolve();
        });
      }),
    () => Promise.resolve(),
    (job) => job.webhookId,
  );
  const poller = new QueuePoller(
    store,
    claims,
    dispatcher,
    { bodyOf: () => Promise.resolve('{}') },
    {
      // Polls are driven by the tests; the timer never fires within one.
      intervalMs: 3_600_000,
      leaseMs: 60_000,
      hostOf: (webhookId) => webhookId,
      failWithoutBody: () => Promise.resolve(),
      now: () => new Date(clock.now),
    },
  );
  return {
    store,
    claims,
    started,
    finish: (job) => ends.get(job.id)?.(),
    requestOver: (job) => releases.get(job.id)?.(),
    poller,
    clock,
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** Starts the poller and waits for its first poll (and the dispatches it made). */
async function firstPoll(r: Rig): Promise<void> {
  r.poller.start();
  await r.poller.poll();
  await flush();
}

async function pollAgain(r: Rig): Promise<void> {
  await r.poller.poll();
  await flush();
}

describe('QueuePoller', () => {
  let current: Rig | undefined;
  afterEach(() => current?.poller.stop());
  const make = (limits?: Partial<DispatchLimits>, store?: InMemoryQueueStore) =>
    (current = rig(limits, store));

  it('given a backlog of scheduled retries, when a send is asked for, then the requested one goes first', async () => {
    const r = make({ concurrency: 1, perWebhook: 1 });
    for (let n = 0; n < 50; n++) r.store.add(queueEntry(`dead-${n}`, 'wh-dead', minutesAgo(5)));
    r.store.add(queueEntry('test-1', 'wh-ok', new Date(START), { attempt: 1, manual: true }));

    await firstPoll(r);

    expect(r.started.map((job) => job.id)).toEqual(['test-1']);
    expect(r.started[0].trigger).toBe('manual');
  });

  it('given a poll stuck on a slow database read, when a send is asked for, then the look for requested sends takes it anyway', async () => {
    let release!: () => void;
    const slow = new (class extends InMemoryQueueStore {
      override async slots() {
        await new Promise<void>((resolve) => (release = resolve));
        return super.slots();
      }
    })();
    const r = make({}, slow);
    r.poller.start();
    r.store.add(queueEntry('test-1', 'wh-ok', new Date(START), { attempt: 1, manual: true }));

    await r.poller.lookForRequested();
    await flush();

    expect(r.started.map((job) => job.id)).toEqual(['test-1']);
    release();
  });

  it('given one webhook with thousands of due retries, when polled, then every other webhook gets its due entries and the big backlog is read only as far as its free slots', async () => {
    const r = make({ concurrency: 8, perWebhook: 2 });
    for (let n = 0; n < 5_000; n++) {
      r.store.add(queueEntry(`dead-${n}`, 'wh-dead', minutesAgo(30 - (n % 30))));
    }
    r.store.add(queueEntry('a-1', 'wh-a', minutesAgo(30)));
    r.store.add(queueEntry('b-1', 'wh-b', new Date(START - 1_000)));

    await firstPoll(r);

    const startedFor = (webhookId: string) =>
      r.started.filter((job) => job.webhookId === webhookId);
    expect(startedFor('wh-a').map((job) => job.id)).toEqual(['a-1']);
    expect(startedFor('wh-b').map((job) => job.id)).toEqual(['b-1']);
    expect(startedFor('wh-dead')).toHaveLength(2);
    const deadReads = r.store.reads.filter(
      (read) => read.kind === 'entries' && read.of.endsWith('/wh-dead'),
    );
    expect(Math.max(...deadReads.map((read) => read.returned))).toBeLessThanOrEqual(2);

    // Its two slots taken, the dead webhook costs no read at all until one comes free.
    r.store.reads.length = 0;
    await pollAgain(r);
    expect(r.store.reads.filter((read) => read.of.endsWith('/wh-dead'))).toEqual([]);

    // One attempt recorded: the next poll reads one more of its entries (and passes over the
    // one still in flight).
    r.finish(startedFor('wh-dead')[0]);
    await flush();
    await pollAgain(r);
    expect(startedFor('wh-dead')).toHaveLength(3);
  });

  it('given a dead endpoint whose attempts end at once but whose records are slow to write, when polled again, then it gets no more attempts until they are recorded, and a requested send still goes', async () => {
    const r = make({ concurrency: 8, perWebhook: 2 });
    for (let n = 0; n < 100; n++) r.store.add(queueEntry(`dead-${n}`, 'wh-dead', minutesAgo(5)));
    await firstPoll(r);
    expect(r.started).toHaveLength(2);

    // Refused at once: the requests are over, their records not written yet.
    for (const job of [...r.started]) r.requestOver(job);
    await flush();
    await pollAgain(r);
    await pollAgain(r);
    expect(r.started).toHaveLength(2);

    r.store.add(queueEntry('test-1', 'wh-ok', new Date(START), { attempt: 1, manual: true }));
    await r.poller.lookForRequested();
    await flush();
    expect(r.started.map((job) => job.id)).toContain('test-1');

    // Recorded: room again.
    r.finish(r.started[0]);
    await flush();
    await pollAgain(r);
    expect(r.started.filter((job) => job.webhookId === 'wh-dead')).toHaveLength(3);
  });

  it('given an entry due later in the minute under way, when polled before its time, then it waits, and it is taken once due', async () => {
    const r = make();
    r.store.add(queueEntry('later-1', 'wh-a', new Date(START + 20_000)));

    await firstPoll(r);
    expect(r.started).toEqual([]);
    // Not yet due is not empty: its lane stays listed.
    expect(r.store.lanes.size).toBe(1);

    r.clock.now = START + 20_000;
    await pollAgain(r);
    expect(r.started.map((job) => job.id)).toEqual(['later-1']);
  });

  it('given a worker that starts with retries due hours ago, when it polls, then it takes them (nothing due is skipped after a restart)', async () => {
    const r = make();
    r.store.add(queueEntry('old-1', 'wh-a', minutesAgo(180)));
    r.store.add(queueEntry('old-2', 'wh-b', minutesAgo(61)));

    await firstPoll(r);

    expect(r.started.map((job) => job.id).sort()).toEqual(['old-1', 'old-2']);
  });

  it('given a lane listed late in a minute long past (a write retried through an outage), when the directory is next revisited, then its entry is taken', async () => {
    const r = make();
    await firstPoll(r);
    r.store.add(queueEntry('late-1', 'wh-a', minutesAgo(20)));

    r.clock.now = START + 5_000;
    await pollAgain(r);
    expect(r.started).toEqual([]);

    r.clock.now = START + 30_000;
    await pollAgain(r);
    expect(r.started.map((job) => job.id)).toEqual(['late-1']);
  });

  it('given an attempt claimed by another worker, when polled, then it is passed over and the rest of its lane is taken', async () => {
    const r = make({ perWebhook: 2 });
    r.store.add(queueEntry('d-1', 'wh-a', minutesAgo(3)));
    r.store.add(queueEntry('d-2', 'wh-a', minutesAgo(3)));
    r.store.add(queueEntry('d-3', 'wh-a', minutesAgo(3)));
    r.claims.elsewhere.add('d-1:2');

    await firstPoll(r);

    expect(r.started.map((job) => job.id).sort()).toEqual(['d-2', 'd-3']);
  });

  it('given a lane whose attempts were all recorded, when polled again, then it is unlisted, and its slot once settled', async () => {
    const r = make();
    r.store.add(queueEntry('d-1', 'wh-a', minutesAgo(5)));
    await firstPoll(r);
    r.finish(r.started[0]);
    await flush();

    await pollAgain(r);
    expect(r.store.lanes.size).toBe(0);

    r.clock.now = START + 30_000;
    await pollAgain(r);
    expect(r.store.slotDocs.size).toBe(0);
  });

  it('given an entry of an attempt that a requested entry also makes, when both are due, then the attempt is made once', async () => {
    const r = make();
    r.store.add(queueEntry('d-1', 'wh-a', minutesAgo(2)));
    r.store.add(queueEntry('d-1', 'wh-a', new Date(START), { manual: true }));

    await firstPoll(r);

    expect(r.started.map((job) => [job.id, job.trigger])).toEqual([['d-1', 'manual']]);
  });
});
