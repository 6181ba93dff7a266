import { randomBytes } from 'node:crypto';
import { SecretsKeyring } from '@app/config';
import { FixedClock } from '@app/event-store';
import { SecretBox } from '@app/platform';
import { WebhookSecrets, type WebhookTarget } from '@app/webhooks';
import { InMemoryWebhookSecretStore } from '@app/webhooks/testing';
import { signWebhook } from '../signing/webhook-signature';
import { SigningSecrets } from './signing-secrets';

const keyA = { id: 'kA', key: randomBytes(32) };
const keyB = { id: 'kB', key: randomBytes(32) };
const clock = new FixedClock(new Date('2026-05-01T00:00:00Z'));

function secretsUnder(store: InMemoryWebhookSecretStore, ...keys: (typeof keyA)[]) {
  return new WebhookSecrets(new SecretBox(SecretsKeyring.of(...keys)), store, clock);
}

function targetOf(
  secretId: string,
  previous?: { secretId: string; validUntil: string },
): WebhookTarget {
  return Object.freeze({
    id: 'wh-1',
    url: 'https://hooks.example.com/in',
    environment: 'production',
    eventTypes: Object.freeze(['license.created' as const]),
    secret: Object.freeze({ id: secretId }),
    previousSecret: previous
      ? Object.freeze({
          secret: Object.freeze({ id: previous.secretId }),
          validUntil: previous.validUntil,
        })
      : null,
    version: 1,
    retryPolicy: null,
    rateLimitPerSecond: null,
    headers: Object.freeze({}),
  });
}

describe('SigningSecrets: what signs a delivery, through the keyring', () => {
  it('given a secret stored under an older key still in the ring, when signing, then it decrypts and signs', async () => {
    const store = new InMemoryWebhookSecretStore();
    const sealed = await secretsUnder(store, keyA).seal('wh-1');
    const signing = new SigningSecrets(secretsUnder(store, keyB, keyA));

    const secrets = await signing.secretsOf(targetOf(sealed.secretId), clock.now());

    expect(secrets).toEqual([sealed.plaintext]);
    const headers = signWebhook({
      messageId: 'evt-1',
      timestampSeconds: 1,
      body: '{}',
      secrets,
      eventType: 'license.created',
    });
    expect(headers['webhook-signature']).toMatch(/^v1,/);
  });

  it('given a rotation in its grace window, when signing, then both secrets sign', async () => {
    const store = new InMemoryWebhookSecretStore();
    const first = await secretsUnder(store, keyA).seal('wh-1');
    const second = await secretsUnder(store, keyB).seal('wh-1');
    const signing = new SigningSecrets(secretsUnder(store, keyB, keyA));
    const target = targetOf(second.secretId, {
      secretId: first.secretId,
      validUntil: '2026-05-02T00:00:00.000Z',
    });

    expect(await signing.secretsOf(target, clock.now())).toEqual([
      second.plaintext,
      first.plaintext,
    ]);
  });

  it('given the same target again, when signing, then the store is read once', async () => {
    const store = new InMemoryWebhookSecretStore();
    const sealed = await secretsUnder(store, keyA).seal('wh-1');
    const get = jest.spyOn(store, 'get');
    const signing = new SigningSecrets(secretsUnder(store, keyA));
    const target = targetOf(sealed.secretId);

    await Promise.all([
      signing.secretsOf(target, clock.now()),
      signing.secretsOf(target, clock.now()),
    ]);
    await signing.secretsOf(target, clock.now());

    expect(get).toHaveBeenCalledTimes(1);
  });

  it('given a secret whose key is not in the ring, when signing, then it fails with a clear error naming the key id, and a later attempt tries again', async () => {
    const store = new InMemoryWebhookSecretStore();
    const sealed = await secretsUnder(store, keyA).seal('wh-1');
    const signing = new SigningSecrets(secretsUnder(store, keyB));
    const get = jest.spyOn(store, 'get');
    const target = targetOf(sealed.secretId);

    await expect(signing.secretsOf(target, clock.now())).rejects.toThrow(
      'Cannot decrypt secret: its key "kA" is not in SECRETS_ENCRYPTION_KEY',
    );
    await expect(signing.secretsOf(target, clock.now())).rejects.toThrow('"kA"');
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('given a shredded secret, when signing, then it fails saying it is no longer stored', async () => {
    const store = new InMemoryWebhookSecretStore();
    const secrets = secretsUnder(store, keyA);
    const sealed = await secrets.seal('wh-1');
    await secrets.shred('wh-1');

    await expect(
      new SigningSecrets(secrets).secretsOf(targetOf(sealed.secretId), clock.now()),
    ).rejects.toThrow('no longer in the secret store');
  });
});
