import type { AppConfig } from '@app/config';
import { FixedClock, type EventStore } from '@app/event-store';
import { InMemoryEventStreams } from '@app/event-store/testing';
import { WebhookCommandExecutor } from '../../application/webhook-command.executor';
import { WebhookRepository } from '../../application/webhook-repository';
import { webhookStreamId } from '../../application/webhook-stream';
import { webhookCreated, WEBHOOK_ID } from '../../domain/testing/webhook-fixtures';
import { toNewEvent, type WebhookEvent } from '../../domain/webhook.events';
import { PauseWebhookCommand } from './pause-webhook.command';
import { PauseWebhookHandler } from './pause-webhook.handler';

const worker = { actor: 'system:delivery-worker', correlationId: 'c', causationId: 'c' };
const admin = { actor: 'user:alice', correlationId: 'a', causationId: 'a' };
const gone = 'the endpoint answered 410 Gone';

describe('PauseWebhookHandler', () => {
  let clock: FixedClock;
  let streams: InMemoryEventStreams;
  let handler: PauseWebhookHandler;

  const append = (event: WebhookEvent, metadata = admin) =>
    streams.appendNow(webhookStreamId(WEBHOOK_ID), 'any', [toNewEvent(event, metadata)]);
  const pause = () => handler.execute(new PauseWebhookCommand(WEBHOOK_ID, 'gone', gone, worker));

  beforeEach(() => {
    clock = new FixedClock(new Date('2026-11-27T11:00:00.000Z'));
    streams = new InMemoryEventStreams(clock);
    const repository = new WebhookRepository(streams as unknown as EventStore);
    const config = { secretRotationGraceHours: 24, webhooksAllowHttp: false } as AppConfig;
    handler = new PauseWebhookHandler(
      new WebhookCommandExecutor(repository, config, clock),
      repository,
    );
    append(webhookCreated());
    clock.advance(60_000);
  });

  it('given an active webhook, when paused, then it changed, and the pause names the webhook, its kind, words, time and the version of its deactivation', async () => {
    const outcome = await pause();

    expect(outcome).toEqual({
      changed: true,
      pause: {
        webhook: {
          id: WEBHOOK_ID,
          name: 'CRM Sync',
          url: 'https://crm.example.com/hooks/licenses',
          environment: 'production',
        },
        kind: 'gone',
        reason: gone,
        pausedAt: new Date('2026-11-27T11:01:00.000Z'),
        version: 2,
      },
    });
    const [, deactivated] = await streams.readStream(webhookStreamId(WEBHOOK_ID));
    expect(deactivated).toMatchObject({
      type: 'WebhookDeactivated',
      schemaVersion: 2,
      data: { id: WEBHOOK_ID, reason: 'automatic', detail: gone, kind: 'gone' },
      metadata: { actor: 'system:delivery-worker' },
    });
  });

  it('given a webhook paused before and changed since, when paused again (a redone step), then nothing is written and the same pause is answered: its version and time', async () => {
    const first = await pause();
    clock.advance(60_000);
    append({
      type: 'WebhookUpdated',
      data: { id: WEBHOOK_ID, changes: { name: { from: 'CRM Sync', to: 'CRM' } } },
    });
    clock.advance(60_000);

    const again = await pause();

    expect(again.changed).toBe(false);
    expect(again.pause).toMatchObject({
      version: first.pause?.version,
      pausedAt: first.pause?.pausedAt,
      kind: 'gone',
      reason: gone,
    });
    expect(await streams.readStream(webhookStreamId(WEBHOOK_ID))).toHaveLength(3);
  });

  it('given a webhook an admin deactivated, when paused, then nothing changes and there is no pause to announce', async () => {
    append({ type: 'WebhookDeactivated', data: { id: WEBHOOK_ID, reason: 'admin' } });

    expect(await pause()).toEqual({ changed: false, pause: null });
  });

  it('given a webhook that does not exist (deleted meanwhile, or never), then nothing changes and there is no pause', async () => {
    const outcome = await handler.execute(
      new PauseWebhookCommand('wh-unknown', 'failing', 'every delivery attempt failed', worker),
    );
    expect(outcome).toEqual({ changed: false, pause: null });
  });
});
