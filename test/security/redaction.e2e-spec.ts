import { MongoClient } from 'mongodb';
import { Webhook } from 'standardwebhooks';
import { attemptOf, DELIVERY_ATTEMPTS_COLLECTION, type StoredAttempt } from '@app/deliveries';
import { startDeliveryRig, type DeliveryRig } from '../support/delivery-rig';
import { seedDelivery } from '../support/delivery-seeds';
import type { ReceivedRequest } from '../support/receiver';
import { eventually } from '../support/within';

/*
 * Replay through the delivery log: an auditor (or anyone who reads the database or a backup) who
 * got a request's signature along with its body could send the receiver a request it accepts, as
 * long as the timestamp is within the receiver's tolerance. Signatures are never stored nor shown.
 */
describe('Security: no signature in the delivery log (the api and the worker, real receiver)', () => {
  let rig: DeliveryRig;
  let client: MongoClient;

  const header = (request: ReceivedRequest, name: string) => String(request.headers[name]);

  beforeAll(async () => {
    rig = await startDeliveryRig({ label: 'redaction' });
    client = await new MongoClient(rig.api.database.uri).connect();
  });

  afterAll(async () => {
    await client?.close();
    await rig?.close();
  });

  it('given a delivered test event, when its attempt is read from the database and from GET /deliveries/:id, then both signature headers read [redacted] and the real signature appears nowhere', async () => {
    const hook = await rig.createWebhook({
      name: 'Redacted',
      path: '/redacted',
      eventTypes: ['license.created'],
    });
    const test = await rig.call('POST', `/webhooks/${hook.id}/test`, { role: 'admin' });
    expect(test.status).toBe(202);
    const received = await rig.receiver.waitFor((request) => request.path === '/redacted');
    const signature = header(received, 'webhook-signature');
    // What the receiver got is signed for real (and so worth stealing).
    expect(signature).toMatch(/^v1,/);
    expect(() =>
      new Webhook(hook.secret).verify(received.rawBody, received.headers as Record<string, string>),
    ).not.toThrow();
    await eventually(
      async () =>
        (await rig.call('GET', `/deliveries/${test.body.id}`)).body.status === 'succeeded',
      'the test delivery to succeed',
    );

    const stored = await client
      .db()
      .collection<StoredAttempt>(DELIVERY_ATTEMPTS_COLLECTION)
      .find({ deliveryId: test.body.id })
      .toArray();
    expect(stored).toHaveLength(1);
    expect(attemptOf(stored[0]).requestHeaders).toMatchObject({
      'webhook-id': header(received, 'webhook-id'),
      'webhook-timestamp': header(received, 'webhook-timestamp'),
      'webhook-signature': '[redacted]',
      'x-webhook-signature': '[redacted]',
    });
    expect(JSON.stringify(stored)).not.toContain(signature.slice(3));

    const detail = await rig.call('GET', `/deliveries/${test.body.id}`, { role: 'auditor' });
    expect(detail.status).toBe(200);
    expect(detail.body.attempts[0].requestHeaders).toMatchObject({
      'webhook-signature': '[redacted]',
      'x-webhook-signature': '[redacted]',
    });
    expect(JSON.stringify(detail.body)).not.toContain(signature.slice(3));
    expect(JSON.stringify(detail.body)).not.toContain(hook.secret);
  });

  it('given an attempt recorded with its signature before the redaction, when GET /deliveries/:id reads it, then the signature is [redacted] there too', async () => {
    const hook = await rig.createWebhook({
      name: 'Recorded earlier',
      path: '/earlier',
      eventTypes: ['license.created'],
    });
    // As workers recorded attempts before: the signature in full.
    const seeded = await seedDelivery(client.db(), {
      webhookId: hook.id,
      event: 'old',
      at: new Date('2026-01-01T00:00:00Z'),
      status: 'failed',
      responses: [500],
    });
    expect(seeded.attempts[0].requestHeaders['webhook-signature']).toBe('v1,sig');

    const detail = await rig.call('GET', `/deliveries/${seeded._id}`, { role: 'auditor' });

    expect(detail.status).toBe(200);
    expect(detail.body.attempts[0].requestHeaders).toEqual({
      'webhook-id': 'evt',
      'webhook-signature': '[redacted]',
    });
    expect(JSON.stringify(detail.body)).not.toContain('v1,sig');
  });
});
