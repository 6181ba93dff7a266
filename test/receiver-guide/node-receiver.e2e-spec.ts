import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { signWebhook } from '@app/deliveries';
import {
  eventually,
  platformEvent,
  startDeliveryRig,
  type DeliveryRig,
} from '../support/delivery-rig';

const EXAMPLE = resolve(__dirname, '../../docs/examples/receiver-node/server.mjs');

/** What the example prints, one JSON object a line. */
type Line = {
  listening?: number;
  accepted?: string;
  type?: string;
  userAgent?: string;
  duplicate?: string;
  rejected?: string;
};

/** The guide's Node example as a receiver would run it: `node server.mjs`, its own process. */
async function startExample(secret: string) {
  const child: ChildProcess = spawn(process.execPath, [EXAMPLE], {
    env: { PATH: process.env.PATH, WEBHOOK_SECRET: secret, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Line[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) =>
    lines.push(JSON.parse(line) as Line),
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let port = 0;
  await eventually(() => {
    port = lines.find((line) => line.listening)?.listening ?? 0;
    return port > 0;
  }, 'the example to listen');
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    lines,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

describe("the receiver guide's Node example against a real delivery (api, worker, Kafka)", () => {
  let rig: DeliveryRig;
  let example: Awaited<ReturnType<typeof startExample>>;
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  let webhookId: string;

  beforeAll(async () => {
    // Plain http to 127.0.0.1: the example listens there without TLS.
    rig = await startDeliveryRig({
      label: 'receiver_guide_node',
      env: { WEBHOOKS_ALLOW_HTTP: 'true', DELIVERY_ALLOWED_CIDRS: '127.0.0.1/32' },
    });
    example = await startExample(secret);
    const created = await rig.call('POST', '/webhooks', {
      body: {
        name: 'Guide example (Node)',
        url: example.url,
        environment: 'production',
        eventTypes: ['activation.created'],
        secret,
      },
    });
    expect(created.status).toBe(201);
    webhookId = created.body.id;
    await rig.workerSees(webhookId);
  });

  afterAll(async () => {
    await example?.stop();
    await rig?.close();
  });

  it('given a platform event published to Kafka, when the worker delivers it, then the example verifies and accepts it, and the delivery succeeds', async () => {
    const event = platformEvent('activation.created');
    await rig.publish(rig.topics.activations, [{ value: JSON.stringify(event) }]);

    await eventually(
      () => example.lines.some((line) => line.accepted === event.id),
      'the example to accept the event',
    );
    expect(example.lines.find((line) => line.accepted === event.id)).toEqual({
      accepted: event.id,
      type: 'activation.created',
      // The User-Agent as it arrives, as the guide documents it.
      userAgent: 'LMP-Webhooks/1.0 (+https://www.standardwebhooks.com/)',
    });
    expect(example.lines.filter((line) => line.rejected)).toEqual([]);
    await eventually(async () => {
      const { body } = await rig.call('GET', `/deliveries?webhookId=${webhookId}`);
      return body.items.length === 1 && body.items[0].status === 'succeeded';
    }, 'the delivery to succeed');
  });

  it('given a delivery sent again (an admin retry, the same webhook-id), when it arrives, then the example acknowledges it as a duplicate', async () => {
    const { body } = await rig.call('GET', `/deliveries?webhookId=${webhookId}`);
    const [delivery] = body.items as { id: string; eventId: string }[];

    expect((await rig.call('POST', `/deliveries/${delivery.id}/retry`)).status).toBe(202);

    await eventually(
      () => example.lines.some((line) => line.duplicate === delivery.eventId),
      'the example to see the retry as a duplicate',
    );
  });

  it('given a correctly signed request whose body was changed on the way, when it arrives, then the example answers 401', async () => {
    const body = JSON.stringify(platformEvent('activation.created'));
    const headers = signWebhook({
      messageId: 'evt_tampered',
      timestampSeconds: Math.floor(Date.now() / 1000),
      body,
      secrets: [secret],
      eventType: 'activation.created',
    });
    // The same event, one field changed, as an attacker on the way (or a re-serialising proxy) would.
    const tampered = JSON.stringify({ ...(JSON.parse(body) as object), environment: 'staging' });
    expect(tampered).not.toBe(body);

    const response = await fetch(example.url, { method: 'POST', headers, body: tampered });

    expect(response.status).toBe(401);
    expect(example.lines.some((line) => line.accepted === 'evt_tampered')).toBe(false);
  });

  it('given a request signed with the right secret 10 minutes ago, when it arrives, then the example answers 401 (past the 5-minute tolerance)', async () => {
    const body = JSON.stringify(platformEvent('activation.created'));
    const headers = signWebhook({
      messageId: 'evt_stale',
      timestampSeconds: Math.floor(Date.now() / 1000) - 600,
      body,
      secrets: [secret],
      eventType: 'activation.created',
    });

    const response = await fetch(example.url, { method: 'POST', headers, body });

    expect(response.status).toBe(401);
  });

  it("given two signatures (a rotation's grace window) of which one is ours, when it arrives, then the example accepts it", async () => {
    const body = JSON.stringify(platformEvent('activation.created', { id: 'evt_rotating' }));
    const headers = signWebhook({
      messageId: 'evt_rotating',
      timestampSeconds: Math.floor(Date.now() / 1000),
      body,
      secrets: [`whsec_${randomBytes(24).toString('base64')}`, secret],
      eventType: 'activation.created',
    });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);

    const response = await fetch(example.url, { method: 'POST', headers, body });

    expect(response.status).toBe(200);
    await eventually(
      () => example.lines.some((line) => line.accepted === 'evt_rotating'),
      'the example to log the accepted event',
    );
  });
});
