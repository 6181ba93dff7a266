import {
  DeliveryDispatcher,
  DispatchStoppedError,
  type DispatchLimits,
} from './delivery-dispatcher';
import type { DeliveryJob } from './delivery-job';

const job = (id: string, webhookId: string): DeliveryJob => ({
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
  latestRequestedBy: null,
  createdAt: new Date(0),
  origin: { kind: 'memory' },
  hasSummary: false,
});

/** Attempts that finish (recorded, or failing to be) when the test says so. */
function controlledAttempts() {
  const started: DeliveryJob[] = [];
  const settle = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  const sent = new Map<string, () => void>();
  return {
    started,
    attempt: (j: DeliveryJob, release: () => void) =>
      new Promise<void>((resolve, reject) => {
        started.push(j);
        settle.set(j.id, { resolve, reject });
        sent.set(j.id, release);
      }),
    /** The HTTP request is done; the attempt is still being recorded. */
    send: (id: string) => sent.get(id)?.(),
    finish: (id: string) => settle.get(id)?.resolve(),
    fail: (id: string, error: Error) => settle.get(id)?.reject(error),
    startedFor: (webhookId: string) => started.filter((j) => j.webhookId === webhookId),
  };
}

const LIMITS: DispatchLimits = { concurrency: 4, perWebhook: 2, perHost: 3, backlogPerWebhook: 3 };

/** Webhook `<host>-<n>` is at host `<host>`. */
const hostOf = (j: DeliveryJob) => j.webhookId.split('-')[0];

function dispatcherWith(limits: DispatchLimits = LIMITS) {
  const attempts = controlledAttempts();
  const parked: DeliveryJob[] = [];
  const dispatcher = new DeliveryDispatcher(
    limits,
    attempts.attempt,
    (j) => {
      parked.push(j);
      return Promise.resolve();
    },
    hostOf,
  );
  return { attempts, parked, dispatcher };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('DeliveryDispatcher', () => {
  it('given a hanging webhook, when more of its jobs come, then it holds only its own slots and others keep going', async () => {
    const { attempts, dispatcher } = dispatcherWith();

    for (let n = 0; n < 4; n++) void dispatcher.submit(job(`slow-${n}`, 'a-slow'));
    const healthy = [0, 1, 2].map((n) => dispatcher.submit(job(`ok-${n}`, 'b-ok')));

    expect(attempts.startedFor('a-slow')).toHaveLength(2);
    expect(attempts.startedFor('b-ok')).toHaveLength(2);
    for (let round = 0; round < 2; round++) {
      for (const started of attempts.startedFor('b-ok')) attempts.finish(started.id);
      await flush();
    }
    await Promise.all(healthy);
    expect(attempts.startedFor('b-ok')).toHaveLength(3);
    expect(attempts.startedFor('a-slow')).toHaveLength(2);
  });

  it('given many webhooks at one tarpit host, when they all have work, then the host gets at most its share and another host still flows', () => {
    const { attempts, dispatcher } = dispatcherWith({ ...LIMITS, concurrency: 10, perHost: 3 });

    for (let n = 0; n < 16; n++) void dispatcher.submit(job(`tar-${n}`, `tarpit-${n}`));
    void dispatcher.submit(job('good-1', 'good-1'));

    expect(attempts.started.filter((j) => hostOf(j) === 'tarpit')).toHaveLength(3);
    expect(attempts.startedFor('good-1')).toHaveLength(1);
  });

  it('given a job of a host at its limit, when a job of that host finishes, then a waiting webhook of the host starts', async () => {
    const { attempts, dispatcher } = dispatcherWith({ ...LIMITS, perHost: 1 });

    void dispatcher.submit(job('x1', 'h-1'));
    void dispatcher.submit(job('x2', 'h-2'));
    expect(attempts.started.map((j) => j.id)).toEqual(['x1']);

    attempts.finish('x1');
    await flush();

    expect(attempts.started.map((j) => j.id)).toEqual(['x1', 'x2']);
  });

  it('given an attempt whose request is done but whose record is still being written, then its slot is free for the next one, and it is still held until recorded', async () => {
    const { attempts, dispatcher } = dispatcherWith({ ...LIMITS, perWebhook: 1 });
    const first = dispatcher.submit(job('j1', 'a-1'));
    void dispatcher.submit(job('j2', 'a-1'));
    expect(attempts.started.map((j) => j.id)).toEqual(['j1']);

    attempts.send('j1');
    await flush();

    expect(attempts.started.map((j) => j.id)).toEqual(['j1', 'j2']);
    expect(dispatcher.holds('j1')).toBe(true);
    attempts.finish('j1');
    await first;
    expect(dispatcher.holds('j1')).toBe(false);
  });

  it('given an attempt that could not be recorded, when it ends, then its completion rejects (it is never taken as done)', async () => {
    const { attempts, dispatcher } = dispatcherWith();
    const completion = dispatcher.submit(job('j1', 'a-1'));

    attempts.fail('j1', new Error('the delivery store is closed'));

    await expect(completion).rejects.toThrow('the delivery store is closed');
    expect(dispatcher.holds('j1')).toBe(false);
  });

  it('given a full line, when another job of that webhook comes, then it is parked instead of held', async () => {
    const { parked, dispatcher } = dispatcherWith();

    for (let n = 0; n < 2 + 3; n++) void dispatcher.submit(job(`j${n}`, 'a-1'));
    await dispatcher.submit(job('extra', 'a-1'));

    expect(parked.map((j) => j.id)).toEqual(['extra']);
    expect(dispatcher.inMemory).toBe(5);
  });

  it('given the same delivery twice, when submitted, then it is held once and both share its completion', async () => {
    const { attempts, dispatcher } = dispatcherWith();

    const first = dispatcher.submit(job('same', 'a-1'));
    const second = dispatcher.submit(job('same', 'a-1'));
    attempts.finish('same');

    await Promise.all([first, second]);
    expect(attempts.started).toHaveLength(1);
  });

  it('given jobs running and waiting, when stopped, then waiting ones are given up (and returned), running ones finish, and nothing new is taken', async () => {
    const { attempts, dispatcher } = dispatcherWith();
    const running = [dispatcher.submit(job('r1', 'a-1')), dispatcher.submit(job('r2', 'a-1'))];
    const waiting = dispatcher.submit(job('w1', 'a-1'));

    const abandoned = dispatcher.stop();

    expect(abandoned.map((j) => j.id)).toEqual(['w1']);
    await expect(waiting).rejects.toBeInstanceOf(DispatchStoppedError);
    await expect(dispatcher.submit(job('late', 'b-1'))).rejects.toBeInstanceOf(
      DispatchStoppedError,
    );
    expect(dispatcher.freeSlots).toBe(0);
    const idle = dispatcher.whenIdle(Date.now() + 10_000);
    attempts.finish('r1');
    attempts.finish('r2');
    await expect(idle).resolves.toBe(true);
    await Promise.all(running);
  });

  it('given an attempt still running at the deadline, when waiting for idle, then it answers false in time', async () => {
    const { dispatcher } = dispatcherWith();
    void dispatcher.submit(job('hangs', 'a-1'));
    dispatcher.stop();

    await expect(dispatcher.whenIdle(Date.now() + 20)).resolves.toBe(false);
    expect(dispatcher.runningJobs().map((j) => j.id)).toEqual(['hangs']);
  });

  it('given a webhook with work, when the poller asks for free slots, then the webhook, its host and the total all bound the answer', () => {
    const { dispatcher } = dispatcherWith({
      ...LIMITS,
      concurrency: 10,
      perWebhook: 4,
      perHost: 5,
    });
    void dispatcher.submit(job('j1', 'h-1'));
    void dispatcher.submit(job('j2', 'h-2'));
    void dispatcher.submit(job('j3', 'h-2'));

    expect(dispatcher.freeSlotsFor('h-1', 'h')).toBe(2); // host: 5 - 3
    expect(dispatcher.freeSlotsFor('h-9', 'h')).toBe(2);
    expect(dispatcher.freeSlotsFor('k-1', 'k')).toBe(4); // its own limit
    expect(dispatcher.freeSlots).toBe(7);
  });
});
