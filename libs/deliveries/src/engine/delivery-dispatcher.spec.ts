import { DeliveryDispatcher } from './delivery-dispatcher';
import type { DeliveryJob } from './delivery-job';

const job = (id: string, webhookId: string): DeliveryJob => ({
  id,
  webhookId,
  eventId: `evt-${id}`,
  eventType: 'license.created',
  environment: 'production',
  payload: {
    id: `evt-${id}`,
    type: 'license.created',
    environment: 'production',
    occurredAt: '',
    data: {},
  },
  attempts: [],
  scheduledAttempts: 0,
  createdAt: new Date(0),
  manual: false,
  origin: 'memory',
});

/** Attempts that finish when the test says so, per webhook. */
function controlledAttempts() {
  const started: DeliveryJob[] = [];
  const release = new Map<string, () => void>();
  return {
    started,
    attempt: (j: DeliveryJob) =>
      new Promise<void>((resolve) => {
        started.push(j);
        release.set(j.id, resolve);
      }),
    finish: (id: string) => release.get(id)?.(),
  };
}

const limits = { concurrency: 4, perEndpoint: 2, backlogPerEndpoint: 3, maxInMemory: 20 };

describe('DeliveryDispatcher', () => {
  it('given a hanging endpoint, then it holds only its own slots and others keep being attempted', async () => {
    const attempts = controlledAttempts();
    const parked: DeliveryJob[] = [];
    const dispatcher = new DeliveryDispatcher(limits, attempts.attempt, (j) => {
      parked.push(j);
      return Promise.resolve();
    });

    for (let n = 0; n < 5; n++) void dispatcher.submit(job(`slow-${n}`, 'slow'));
    const healthy = [0, 1, 2, 3].map((n) => dispatcher.submit(job(`ok-${n}`, 'healthy')));

    // The slow endpoint runs 2 (its limit), waits 3 in its line, and nothing more fits in memory for it.
    expect(attempts.started.filter((j) => j.webhookId === 'slow')).toHaveLength(2);
    expect(attempts.started.filter((j) => j.webhookId === 'healthy')).toHaveLength(2);
    expect(parked).toEqual([]);

    // The healthy endpoint drains while the slow one still hangs.
    for (let round = 0; round < 2; round++) {
      for (const started of attempts.started.filter((j) => j.webhookId === 'healthy')) {
        attempts.finish(started.id);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(healthy);
    expect(attempts.started.filter((j) => j.webhookId === 'healthy')).toHaveLength(4);
    expect(attempts.started.filter((j) => j.webhookId === 'slow')).toHaveLength(2);
  });

  it('given a full line for one endpoint, then further jobs for it are parked, not held', () => {
    const attempts = controlledAttempts();
    const parked: string[] = [];
    const dispatcher = new DeliveryDispatcher(limits, attempts.attempt, (j) => {
      parked.push(j.id);
      return Promise.resolve();
    });
    for (let n = 0; n < 7; n++) void dispatcher.submit(job(`j-${n}`, 'w'));
    // 2 running + 3 waiting are held; the other 2 are parked.
    expect(parked).toEqual(['j-5', 'j-6']);
    expect(dispatcher.inMemory).toBe(5);
  });

  it('given the same delivery twice while it is in flight, then it is attempted once', async () => {
    const attempts = controlledAttempts();
    const dispatcher = new DeliveryDispatcher(limits, attempts.attempt, () => Promise.resolve());
    const first = dispatcher.submit(job('same', 'w'));
    const second = dispatcher.submit(job('same', 'w'));
    expect(attempts.started).toHaveLength(1);
    attempts.finish('same');
    await Promise.all([first, second]);
    expect(dispatcher.inMemory).toBe(0);
  });

  it('given memory full, then it has no room until a job finishes', async () => {
    const attempts = controlledAttempts();
    const dispatcher = new DeliveryDispatcher({ ...limits, maxInMemory: 2 }, attempts.attempt, () =>
      Promise.resolve(),
    );
    void dispatcher.submit(job('a', 'x'));
    void dispatcher.submit(job('b', 'y'));
    expect(dispatcher.hasRoom()).toBe(false);
    const room = dispatcher.whenRoom();
    attempts.finish('a');
    await room;
    expect(dispatcher.hasRoom()).toBe(true);
  });
});
