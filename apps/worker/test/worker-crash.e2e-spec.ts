import type { Connection } from 'mongoose';
import { DELIVERIES_COLLECTION } from '@app/deliveries';
import { DATABASE_CONNECTION } from '@app/platform';
import {
  eventually,
  platformEvent,
  startDeliveryRig,
  type DeliveryRig,
} from '../../../test/support/delivery-rig';
import { startWorkerProcess, type WorkerProcess } from '../../../test/support/worker-process';

const EVENTS = 150;

describe('a worker killed with SIGKILL in the middle of a burst', () => {
  let rig: DeliveryRig;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    rig = await startDeliveryRig({ label: 'crash', worker: false });
  });

  afterAll(async () => {
    await worker?.stop();
    await rig?.close();
  });

  it('loses no accepted event: after a restart every delivery completes, duplicates keep their webhook-id', async () => {
    const hooks = await Promise.all(
      ['one', 'two'].map((name) =>
        rig.createWebhook({ name, path: `/${name}`, eventTypes: ['license.created'] }),
      ),
    );
    // Slow enough that the burst is still going when the worker dies.
    rig.receiver.respond(() => ({ status: 200, body: 'ok', delayMs: 20 }));
    worker = await startWorkerProcess(rig.env);
    const warmUp = platformEvent('license.created');
    await rig.publish(rig.topics.licenses, [{ value: JSON.stringify(warmUp) }]);
    await rig.receiver.waitFor((r) => r.rawBody.includes(warmUp.id), 60_000);

    const events = Array.from({ length: EVENTS }, () => platformEvent('license.created'));
    await rig.publish(
      rig.topics.licenses,
      events.map((event, n) => ({ key: `k${n}`, value: JSON.stringify(event) })),
    );
    const receivedBefore = rig.receiver.requests.length;
    await rig.receiver.waitFor(() => rig.receiver.requests.length >= receivedBefore + 60, 30_000);
    await worker.kill();
    const atKill = rig.receiver.requests.length - receivedBefore;
    expect(atKill).toBeLessThan(EVENTS * 2);

    worker = await startWorkerProcess(rig.env);
    const expected = new Set(
      events.flatMap((event) => hooks.map((hook) => `${event.id} /${hook.url.split('/').pop()}`)),
    );
    const seen = () =>
      new Set(rig.receiver.requests.map((r) => `${String(r.headers['webhook-id'])} ${r.path}`));
    await eventually(
      () => [...expected].every((pair) => seen().has(pair)),
      'every event to reach both webhooks',
      90_000,
    );
    // Duplicates only as at-least-once allows: the same event id in the body and webhook-id.
    for (const request of rig.receiver.requests) {
      expect(request.headers['webhook-id']).toBe(JSON.parse(request.rawBody).id);
    }
    // Each delivery is recorded once, as succeeded.
    const history = rig.api.app
      .get<Connection>(DATABASE_CONNECTION)
      .collection(DELIVERIES_COLLECTION);
    await eventually(
      async () => (await history.countDocuments({ status: 'succeeded' })) === (EVENTS + 1) * 2,
      'every delivery to be recorded as succeeded',
      60_000,
    );
    expect(await history.countDocuments({})).toBe((EVENTS + 1) * 2);
  });
});
