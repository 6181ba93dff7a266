import type { Connection } from 'mongoose';
import { DATABASE_CONNECTION } from '@app/platform';
import { publicKeyOf, WebhookRepository, WebhookSecrets } from '@app/webhooks';
import { startDeliveryRig, type DeliveryRig } from '../support/delivery-rig';

// Issue 14, asymmetric signatures: the ed25519 private key (whsk_) signs deliveries and is kept
// like a webhook secret, encrypted in the secret store. An attacker with any role's token, or with
// a copy of the database, must not find it: no API answer carries it (the reveal route answers the
// public key), and no stored document holds it in the clear (nor its seed in any encoding).

describe('security: an ed25519 private key is in no API answer and nowhere in the database in the clear', () => {
  let rig: DeliveryRig;

  beforeAll(async () => {
    rig = await startDeliveryRig({ label: 'whsk', worker: false });
  });

  afterAll(() => rig?.close());

  it('given asymmetric webhooks (created so, rotated so), when every route that shows a webhook is read and every collection scanned, then the whsk_ key and its seed appear nowhere; decrypted through the keyring it is the whpk_ shown', async () => {
    const answers: unknown[] = [];
    const created = await rig.call('POST', '/webhooks', {
      body: {
        name: 'Attack surface',
        url: `${rig.receiver.url}/attack`,
        environment: 'production',
        eventTypes: ['license.created'],
        signatureScheme: 'asymmetric',
      },
    });
    expect(created.status).toBe(201);
    answers.push(created.body);
    const id: string = created.body.id;
    const rotated = await rig.call('POST', `/webhooks/${id}/secret/rotate`, {
      body: { signatureScheme: 'asymmetric' },
    });
    expect(rotated.status).toBe(200);
    answers.push(rotated.body);
    for (const path of [
      `/webhooks/${id}`,
      `/webhooks/${id}/secret`,
      `/webhooks/${id}/history`,
      '/webhooks?limit=100',
    ]) {
      for (const role of ['auditor', 'admin', 'owner'] as const) {
        const answer = await rig.call('GET', path, { role });
        answers.push(answer.body);
      }
    }
    // A supplied key must be a real whsk_ ed25519 seed: a malformed one is refused, never stored.
    const supplied = await rig.call('POST', `/webhooks/${id}/secret/rotate`, {
      body: {
        signatureScheme: 'asymmetric',
        secret: 'whsk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==',
      },
    });
    expect(supplied.status).toBe(400);

    const { state } = await rig.api.app.get(WebhookRepository).load(id);
    if (state.status !== 'active') throw new Error(`unexpected state ${state.status}`);
    const secrets = rig.api.app.get(WebhookSecrets);
    const keys = [
      await secrets.plaintextOf(id, state.secret),
      await secrets.plaintextOf(id, state.previousSecret!.secret),
    ];
    expect(publicKeyOf(keys[0])).toBe(rotated.body.publicKey);
    expect(publicKeyOf(keys[1])).toBe(created.body.publicKey);

    const connection = rig.api.app.get<Connection>(DATABASE_CONNECTION);
    const stored: unknown[] = [];
    for (const { name } of await connection.db!.listCollections().toArray()) {
      stored.push(...(await connection.db!.collection(name).find({}).toArray()));
    }
    expect(stored.length).toBeGreaterThan(0);

    const answered = JSON.stringify(answers);
    const everything = `${answered}\n${JSON.stringify(stored)}`;
    expect(everything).not.toContain('whsk_');
    for (const key of keys) {
      const seed = Buffer.from(key.slice('whsk_'.length), 'base64');
      for (const encoding of ['base64', 'base64url', 'hex'] as const) {
        expect(everything).not.toContain(seed.toString(encoding).replace(/=+$/, ''));
      }
    }
    // The public key is meant to be seen.
    expect(answered).toContain(rotated.body.publicKey);
  });
});
