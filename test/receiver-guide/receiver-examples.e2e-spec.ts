import { randomBytes } from 'node:crypto';
import { signWebhook } from '@app/deliveries';
import {
  eventually,
  platformEvent,
  startDeliveryRig,
  type DeliveryRig,
} from '../support/delivery-rig';
import { startExample, type ExampleLanguage, type RunningExample } from './receiver-examples';

const LANGUAGES: ExampleLanguage[] = ['node', 'python', 'go'];

/**
 * The receiver guide's examples (docs/examples), each run as a receiver developer would run it,
 * against real deliveries: api, worker, Kafka. One rig, one webhook per example.
 */
describe("the receiver guide's examples against a real delivery (api, worker, Kafka)", () => {
  let rig: DeliveryRig;
  const examples = new Map<ExampleLanguage, RunningExample>();
  const webhookIds = new Map<ExampleLanguage, string>();
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const example = (language: ExampleLanguage) => examples.get(language)!;

  beforeAll(async () => {
    // Plain http to 127.0.0.1: the examples listen there without TLS.
    rig = await startDeliveryRig({
      label: 'receiver_guide_examples',
      env: { WEBHOOKS_ALLOW_HTTP: 'true', DELIVERY_ALLOWED_CIDRS: '127.0.0.1/32' },
    });
    // Python installs its library into a virtualenv and Go builds the first time: minutes at most.
    for (const language of LANGUAGES) examples.set(language, await startExample(language, secret));
    for (const language of LANGUAGES) {
      const created = await rig.call('POST', '/webhooks', {
        body: {
          name: `Guide example (${language})`,
          url: example(language).url,
          environment: 'production',
          eventTypes: ['activation.created'],
          secret,
        },
      });
      expect(created.status).toBe(201);
      webhookIds.set(language, created.body.id);
      await rig.workerSees(created.body.id);
    }
  }, 240_000);

  afterAll(async () => {
    for (const running of examples.values()) await running.stop();
    await rig?.close();
  });

  it('given a platform event published to Kafka, when the worker delivers it, then every example verifies and accepts it, and each delivery succeeds', async () => {
    const event = platformEvent('activation.created');
    await rig.publish(rig.topics.activations, [{ value: JSON.stringify(event) }]);

    for (const language of LANGUAGES) {
      const { lines } = example(language);
      await eventually(
        () => lines.some((line) => line.accepted === event.id),
        `the ${language} example to accept the event`,
      );
      expect(lines.find((line) => line.accepted === event.id)).toMatchObject({
        accepted: event.id,
        type: 'activation.created',
      });
      expect([language, lines.filter((line) => line.rejected)]).toEqual([language, []]);
      await eventually(async () => {
        const { body } = await rig.call('GET', `/deliveries?webhookId=${webhookIds.get(language)}`);
        return body.items.length === 1 && body.items[0].status === 'succeeded';
      }, `the delivery to the ${language} example to succeed`);
    }
    // The User-Agent as it arrives, as the guide documents it (the Node example prints it).
    expect(example('node').lines.find((line) => line.accepted === event.id)?.userAgent).toBe(
      'LMP-Webhooks/1.0 (+https://www.standardwebhooks.com/)',
    );
  });

  it.each(LANGUAGES)(
    'given a delivery sent again (an admin retry, the same webhook-id), when it arrives, then the %s example acknowledges it as a duplicate',
    async (language) => {
      const { body } = await rig.call('GET', `/deliveries?webhookId=${webhookIds.get(language)}`);
      const [delivery] = body.items as { id: string; eventId: string }[];

      expect((await rig.call('POST', `/deliveries/${delivery.id}/retry`)).status).toBe(202);

      await eventually(
        () => example(language).lines.some((line) => line.duplicate === delivery.eventId),
        `the ${language} example to see the retry as a duplicate`,
      );
    },
  );

  it.each(LANGUAGES)(
    'given a correctly signed request whose body was changed on the way, when it arrives, then the %s example answers 401',
    async (language) => {
      const body = JSON.stringify(platformEvent('activation.created'));
      const headers = signWebhook({
        messageId: `evt_tampered_${language}`,
        timestampSeconds: Math.floor(Date.now() / 1000),
        body,
        secrets: [secret],
        eventType: 'activation.created',
      });
      // The same event, one field changed, as an attacker on the way (or a re-serialising proxy) would.
      const tampered = JSON.stringify({ ...(JSON.parse(body) as object), environment: 'staging' });
      expect(tampered).not.toBe(body);

      const response = await fetch(example(language).url, {
        method: 'POST',
        headers,
        body: tampered,
      });

      expect(response.status).toBe(401);
      expect(
        example(language).lines.some((line) => line.accepted?.startsWith('evt_tampered')),
      ).toBe(false);
    },
  );

  it.each(LANGUAGES)(
    'given a request signed with the right secret 10 minutes ago, when it arrives, then the %s example answers 401 (past the 5-minute tolerance)',
    async (language) => {
      const body = JSON.stringify(platformEvent('activation.created'));
      const headers = signWebhook({
        messageId: `evt_stale_${language}`,
        timestampSeconds: Math.floor(Date.now() / 1000) - 600,
        body,
        secrets: [secret],
        eventType: 'activation.created',
      });

      const response = await fetch(example(language).url, { method: 'POST', headers, body });

      expect(response.status).toBe(401);
    },
  );

  it.each(LANGUAGES)(
    "given two signatures (a rotation's grace window) of which one is ours, when it arrives, then the %s example accepts it",
    async (language) => {
      const id = `evt_rotating_${language}`;
      const body = JSON.stringify(platformEvent('activation.created', { id }));
      const headers = signWebhook({
        messageId: id,
        timestampSeconds: Math.floor(Date.now() / 1000),
        body,
        secrets: [`whsec_${randomBytes(24).toString('base64')}`, secret],
        eventType: 'activation.created',
      });
      expect(headers['webhook-signature'].split(' ')).toHaveLength(2);

      const response = await fetch(example(language).url, { method: 'POST', headers, body });

      expect(response.status).toBe(200);
      await eventually(
        () => example(language).lines.some((line) => line.accepted === id),
        `the ${language} example to log the accepted event`,
      );
    },
  );
});
