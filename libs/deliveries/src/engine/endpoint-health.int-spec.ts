import type { CommandBus } from '@nestjs/cqrs';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import type { AppConfig } from '@app/config';
import {
  PlatformEventNotPublishedError,
  type PlatformEvent,
  type PlatformEventPublisher,
} from '@app/platform-events';
import { PauseWebhookCommand, type PauseOutcome } from '@app/webhooks';
import { dropTestDatabase, openTestDatabase } from '../../../../test/support/test-database';
import { DeliveryMetrics } from './delivery-metrics';
import { DELIVERY_WORKER_ACTOR, EndpointHealth } from './endpoint-health';

/**
 * Records the commands it is given. The first pause of a webhook "changes" it (version 2); a
 * repeated one finds that same pause, as the real handler answers it.
 */
function recordingBus() {
  const sent: PauseWebhookCommand[] = [];
  const paused = new Set<string>();
  const bus = {
    execute: (command: PauseWebhookCommand): Promise<PauseOutcome> => {
      sent.push(command);
      const changed = !paused.has(command.webhookId);
      paused.add(command.webhookId);
      return Promise.resolve({
        changed,
        pause: {
          webhook: {
            id: command.webhookId,
            name: 'CRM',
            url: 'https://crm.example/in',
            environment: 'production',
          },
          kind: command.kind,
          reason: command.detail,
          pausedAt: at(0),
          version: 2,
        },
      });
    },
  } as unknown as CommandBus;
  return { bus, sent };
}

/** Keeps what it is asked to publish; `failNext` makes the next publish fail as a stopping worker's does. */
function recordingPublisher() {
  const published: PlatformEvent[] = [];
  let failNext = false;
  const publisher = {
    publish: (event: PlatformEvent) => {
      if (failNext) {
        failNext = false;
        return Promise.reject(new PlatformEventNotPublishedError(event.id));
      }
      published.push(event);
      return Promise.resolve();
    },
  } as unknown as PlatformEventPublisher;
  return { publisher, published, failNextPublish: () => (failNext = true) };
}

const config = { deliveryDisableAfterHours: 120 } as AppConfig;
const at = (hours: number) => new Date(Date.UTC(2026, 10, 1) + hours * 3_600_000);

describe('EndpointHealth (real database)', () => {
  let connection: Connection;

  beforeEach(async () => {
    connection = await openTestDatabase('endpoint_health');
  });

  afterEach(() => dropTestDatabase(connection));

  function health(
    bus: CommandBus,
    publisher = recordingPublisher().publisher,
    metrics = new DeliveryMetrics(new Registry()),
  ): EndpointHealth {
    return new EndpointHealth(connection, bus, config, publisher, metrics);
  }

  it('given an endpoint failing every attempt, when the limit has passed, then the webhook is paused once, by its own command', async () => {
    const { bus, sent } = recordingBus();
    const endpoints = health(bus);

    await endpoints.failed('wh-1', 'HTTP 500', at(0));
    await endpoints.failed('wh-1', 'HTTP 500', at(119));
    expect(sent).toEqual([]);

    await endpoints.failed('wh-1', 'timed out after 15000 ms', at(120));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(PauseWebhookCommand);
    expect(sent[0].webhookId).toBe('wh-1');
    expect(sent[0].kind).toBe('failing');
    expect(sent[0].detail).toMatch(/every delivery attempt failed since 2026-11-01T00:00:00.000Z/);
    expect(sent[0].detail).toMatch(/timed out/);
    expect(sent[0].request.actor).toBe(DELIVERY_WORKER_ACTOR);

    // Paused: its failure record is gone, a later failure starts a new count.
    await endpoints.failed('wh-1', 'HTTP 500', at(121));
    expect(sent).toHaveLength(1);
  });

  it('given a success in between, then the count starts again', async () => {
    const { bus, sent } = recordingBus();
    const endpoints = health(bus);
    await endpoints.failed('wh-2', 'HTTP 500', at(0));
    await endpoints.succeeded('wh-2', at(1));
    await endpoints.failed('wh-2', 'HTTP 500', at(100));
    await endpoints.failed('wh-2', 'HTTP 500', at(150));
    expect(sent).toEqual([]);
    await endpoints.failed('wh-2', 'HTTP 500', at(220));
    expect(sent).toHaveLength(1);
  });

  it('given a restart, then the failing-since time survives in the database', async () => {
    const first = recordingBus();
    const before = health(first.bus);
    await before.failed('wh-3', 'HTTP 502', at(0));
    await before.failed('wh-3', 'HTTP 502', at(100));

    const second = recordingBus();
    const restarted = health(second.bus);
    await restarted.failed('wh-3', 'HTTP 502', at(130));
    expect(second.sent.map((command) => command.webhookId)).toEqual(['wh-3']);
  });

  it('given two workers, when one sees the endpoint succeed, then the other does not pause it on its next failure', async () => {
    const { bus, sent } = recordingBus();
    const workerA = health(bus);
    const workerB = health(bus);
    await workerA.failed('wh-4', 'HTTP 500', at(0));
    await workerA.failed('wh-4', 'HTTP 500', at(100));

    await workerB.succeeded('wh-4', at(110));
    await workerA.failed('wh-4', 'HTTP 500', at(125));

    expect(sent).toEqual([]);
    // The streak started again at 125 for everyone.
    await workerB.failed('wh-4', 'HTTP 500', at(240));
    expect(sent).toEqual([]);
    await workerA.failed('wh-4', 'HTTP 500', at(246));
    expect(sent.map((command) => command.webhookId)).toEqual(['wh-4']);
  });

  it('given a failure long ago and nothing since, when it fails again, then the old streak is forgotten', async () => {
    const { bus, sent } = recordingBus();
    const endpoints = health(bus);
    await endpoints.failed('wh-5', 'HTTP 500', at(0));

    // No attempt at all for longer than DELIVERY_DISABLE_AFTER_HOURS: nobody knows it is failing.
    await endpoints.failed('wh-5', 'HTTP 500', at(500));

    expect(sent).toEqual([]);
    const shared = await connection
      .collection('endpoint_failures')
      .findOne({ _id: 'wh-5' as never });
    expect(shared?.failingSince).toEqual(at(500));
  });

  it('given a pause, then it is announced as webhook.paused under the id of that pause, and counted by kind', async () => {
    const { bus } = recordingBus();
    const { publisher, published } = recordingPublisher();
    const registry = new Registry();
    const endpoints = health(bus, publisher, new DeliveryMetrics(registry));

    await endpoints.pause('wh-6', 'gone', 'the endpoint answered 410 Gone');

    expect(published).toEqual([
      expect.objectContaining({
        id: 'evt_paused_wh-6_2',
        type: 'webhook.paused',
        environment: 'production',
        data: expect.objectContaining({ kind: 'gone', reason: 'the endpoint answered 410 Gone' }),
      }),
    ]);
    expect(await registry.metrics()).toMatch(/webhooks_paused_total\{kind="gone"\} 1/);
    expect(await registry.metrics()).toMatch(/webhooks_paused_total\{kind="failing"\} 0/);
  });

  it('given a pause recorded whose announcement was cut short, when the failing attempt is followed again, then the same pause is announced, once', async () => {
    const { bus, sent } = recordingBus();
    const { publisher, published, failNextPublish } = recordingPublisher();
    const registry = new Registry();
    const endpoints = health(bus, publisher, new DeliveryMetrics(registry));
    await endpoints.failed('wh-7', 'HTTP 500', at(0));

    // The worker stops between the pause and its announcement: the step is left unfinished.
    failNextPublish();
    await expect(endpoints.failed('wh-7', 'HTTP 500', at(120))).rejects.toBeInstanceOf(
      PlatformEventNotPublishedError,
    );
    expect(sent).toHaveLength(1);
    expect(published).toEqual([]);

    // Another worker (no memory of it) follows the same recorded attempt again.
    const again = health(bus, publisher);
    await again.failed('wh-7', 'HTTP 500', at(121));

    expect(sent).toHaveLength(2);
    expect(published.map((event) => event.id)).toEqual(['evt_paused_wh-7_2']);
    // Counted once: the second command changed nothing.
    expect(await registry.metrics()).toMatch(/webhooks_paused_total\{kind="failing"\} 1/);
    // Announced: the streak is forgotten now.
    await again.failed('wh-7', 'HTTP 500', at(122));
    expect(sent).toHaveLength(2);
  });
});
