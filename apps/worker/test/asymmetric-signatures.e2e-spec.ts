import { createPublicKey, verify } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  eventually,
  platformEvent,
  startDeliveryRig,
  type DeliveryRig,
} from '../../../test/support/delivery-rig';
import type { ReceivedRequest } from '../../../test/support/receiver';

const header = (request: ReceivedRequest, name: string): string =>
  String(request.headers[name] ?? '');

/**
 * A receiver verifying `v1a` exactly as Standard Webhooks describes it, with node:crypto alone: the
 * public key is the base64 after `whpk_` (32 raw ed25519 bytes), the signed content
 * `<webhook-id>.<webhook-timestamp>.<raw body>`, and any one `v1a,<base64>` entry that verifies will do.
 */
function verifiesV1a(request: ReceivedRequest, publicKey: string): boolean {
  const key = createPublicKey({
    key: {
      kty: 'OKP',
      crv: 'Ed25519',
      x: Buffer.from(publicKey.slice('whpk_'.length), 'base64').toString('base64url'),
    },
    format: 'jwk',
  });
  const content = Buffer.from(
    `${header(request, 'webhook-id')}.${header(request, 'webhook-timestamp')}.${request.rawBody}`,
    'utf8',
  );
  return header(request, 'webhook-signature')
    .split(' ')
    .filter((entry) => entry.startsWith('v1a,'))
    .some((entry) => verify(null, content, key, Buffer.from(entry.slice(4), 'base64')));
}

/** The symmetric path, verified with the standardwebhooks package (it reads the `v1,` entries). */
function verifiesV1(request: ReceivedRequest, secret: string): boolean {
  try {
    new Webhook(secret).verify(request.rawBody, {
      'webhook-id': header(request, 'webhook-id'),
      'webhook-timestamp': header(request, 'webhook-timestamp'),
      'webhook-signature': header(request, 'webhook-signature'),
    });
    return true;
  } catch {
    return false;
  }
}

describe('asymmetric signatures (Standard Webhooks v1a, ed25519): api, worker, Kafka, HTTPS receiver', () => {
  let rig: DeliveryRig;

  beforeAll(async () => {
    rig = await startDeliveryRig({
      label: 'v1a',
      // 7.2 s of grace: long enough to deliver inside the window, short enough to wait out.
      env: { SECRET_ROTATION_GRACE_HOURS: '0.002' },
    });
  });

  afterAll(() => rig?.close());

  it('given a webhook created asymmetric, when an event is delivered, then it carries one v1a signature that verifies with node:crypto from the whpk_ the API shows', async () => {
    const created = await rig.call('POST', '/webhooks', {
      body: {
        name: 'Ed25519',
        url: `${rig.receiver.url}/ed25519`,
        environment: 'production',
        eventTypes: ['license.created'],
        signatureScheme: 'asymmetric',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ signatureScheme: 'asymmetric', secret: null });
    const id: string = created.body.id;
    const shown = await rig.call('GET', `/webhooks/${id}`, { role: 'auditor' });
    const publicKey: string = shown.body.publicKey;
    expect(publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    expect(shown.body.secretHint).toBe(`whpk_…${publicKey.slice(-5, -1)}`);
    await rig.workerSees(id);

    const event = platformEvent('license.created');
    await rig.publish(rig.topics.licenses, [{ value: JSON.stringify(event) }]);
    const received = await rig.receiver.waitFor((r) => r.rawBody.includes(event.id));

    expect(header(received, 'webhook-signature')).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(header(received, 'x-webhook-signature')).toBe(header(received, 'webhook-signature'));
    expect(verifiesV1a(received, publicKey)).toBe(true);
    expect(
      verifiesV1a({ ...received, rawBody: received.rawBody.replace('{', '{ ') }, publicKey),
    ).toBe(false);
  });

  it('given a symmetric webhook rotated to asymmetric, when delivered in the grace window, then v1a and v1 are both sent (each verifies), and after it only v1a', async () => {
    const hook = await rig.createWebhook({
      name: 'Switching',
      path: '/switching',
      eventTypes: ['product.created'],
    });
    const rotated = await rig.call('POST', `/webhooks/${hook.id}/secret/rotate`, {
      body: { signatureScheme: 'asymmetric' },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ signatureScheme: 'asymmetric', secret: null });
    const publicKey: string = rotated.body.publicKey;
    expect(publicKey).toMatch(/^whpk_/);
    await rig.workerSees(hook.id, 2);

    const during = platformEvent('product.created');
    await rig.publish(rig.topics.licenses, [{ value: JSON.stringify(during) }]);
    const first = await rig.receiver.waitFor((r) => r.rawBody.includes(during.id));
    const entries = header(first, 'webhook-signature').split(' ');
    expect(entries.map((entry) => entry.split(',')[0])).toEqual(['v1a', 'v1']);
    expect(verifiesV1a(first, publicKey)).toBe(true);
    expect(verifiesV1(first, hook.secret)).toBe(true);

    // The reveal route answers the whsec_ still in its window, and only the public key of the new.
    const revealed = await rig.call('GET', `/webhooks/${hook.id}/secret`);
    expect(revealed.body).toMatchObject({
      secret: null,
      publicKey,
      previous: { secret: hook.secret },
    });
    const history = await rig.call('GET', `/webhooks/${hook.id}/history`, { role: 'auditor' });
    expect(history.body.items[1].details).toMatchObject({
      signatureScheme: 'asymmetric',
      previousSignatureScheme: 'symmetric',
    });
    expect(JSON.stringify(history.body)).not.toMatch(
      /whpk_[A-Za-z0-9+/]{8}|whsk_|whsec_[A-Za-z0-9+/]{8}/,
    );

    const validUntil = Date.parse(revealed.body.previous.validUntil);
    await eventually(() => Date.now() > validUntil, 'the grace window to end');
    const afterwards = platformEvent('product.created');
    await rig.publish(rig.topics.licenses, [{ value: JSON.stringify(afterwards) }]);
    const second = await rig.receiver.waitFor((r) => r.rawBody.includes(afterwards.id));
    expect(header(second, 'webhook-signature').split(' ')).toHaveLength(1);
    expect(verifiesV1a(second, publicKey)).toBe(true);
    expect(verifiesV1(second, hook.secret)).toBe(false);
  });

  it('given an asymmetric webhook rotated back to symmetric, when delivered in the window, then v1 (new whsec_, verified by standardwebhooks) and v1a (old whpk_) are both there', async () => {
    const created = await rig.call('POST', '/webhooks', {
      body: {
        name: 'Back',
        url: `${rig.receiver.url}/back`,
        environment: 'production',
        eventTypes: ['contract.created'],
        signatureScheme: 'asymmetric',
      },
    });
    const id: string = created.body.id;
    const oldPublicKey: string = created.body.publicKey;
    const rotated = await rig.call('POST', `/webhooks/${id}/secret/rotate`, { body: {} });
    expect(rotated.body).toMatchObject({ signatureScheme: 'symmetric', publicKey: null });
    const secret: string = rotated.body.secret;
    expect(secret).toMatch(/^whsec_/);
    await rig.workerSees(id, 2);

    const event = platformEvent('contract.created');
    await rig.publish(rig.topics.licenses, [{ value: JSON.stringify(event) }]);
    const received = await rig.receiver.waitFor((r) => r.rawBody.includes(event.id));

    expect(
      header(received, 'webhook-signature')
        .split(' ')
        .map((e) => e.split(',')[0]),
    ).toEqual(['v1', 'v1a']);
    expect(verifiesV1(received, secret)).toBe(true);
    expect(verifiesV1a(received, oldPublicKey)).toBe(true);
  });
});
