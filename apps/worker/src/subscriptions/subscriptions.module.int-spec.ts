import { EventStore, ProjectionHost } from '@app/event-store';
import { SubscriptionIndex, toNewEvent } from '@app/webhooks';
import { startTestApp, TestApp } from '../../../../test/support/test-app';
import { WorkerModule } from '../worker.module';

describe('the worker keeps the subscription index', () => {
  let worker: TestApp | undefined;

  beforeAll(async () => {
    worker = await startTestApp(WorkerModule, {
      label: 'worker_subscriptions',
      env: { PROJECTION_POLL_INTERVAL_MS: '20' },
    });
  });

  afterAll(() => worker?.close());

  it('runs it in memory for its lifetime: ready after boot, then following webhook changes live', async () => {
    const app = worker!.app;
    const index = app.get(SubscriptionIndex);
    const runner = app.get(ProjectionHost).runner('subscription-index');
    await index.whenReady();
    expect(index.ready).toBe(true);
    expect(runner.checkpointMode).toBe('memory');
    expect(index.size).toBe(0);

    const appended = await app.get(EventStore).append('webhook-w1', 0, [
      toNewEvent(
        {
          type: 'WebhookCreated',
          data: {
            id: 'w1',
            name: 'CRM',
            url: 'https://crm.example.com/hook',
            environment: 'production',
            eventTypes: ['license.created'],
            description: null,
            active: true,
            secret: { id: 's-1' },
            secretHint: 'whsec_…abcd',
          },
        },
        { actor: 'user:test', correlationId: 'corr', causationId: 'cause' },
      ),
    ]);
    await runner.waitFor(appended.lastPosition);

    expect(index.match('production', 'license.created').map((target) => target.id)).toEqual(['w1']);
  });
});
