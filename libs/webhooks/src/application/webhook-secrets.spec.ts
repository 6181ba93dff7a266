import { randomBytes } from 'node:crypto';
import { SecretsKeyring } from '@app/config';
import { FixedClock } from '@app/event-store';
import { SecretBox, SecretDecryptionError, UnknownSecretKeyError } from '@app/platform';
import { InMemoryWebhookSecretStore } from '../testing';
import { webhookCreated } from '../domain/testing/webhook-fixtures';
import { WebhookValidationError } from '../domain/webhook.errors';
import { evolve, initialState, type ExistingWebhook } from '../domain/webhook.events';
import { generateSigningKeyPair, publicKeyOf } from '../secrets/signing-keys';
import { SecretNotStoredError, WebhookSecrets } from './webhook-secrets';

const keyA = { id: 'kA', key: randomBytes(32) };
const keyB = { id: 'kB', key: randomBytes(32) };
const legacyKey = { id: 'k0', key: randomBytes(32) };
const now = new Date('2026-05-01T00:00:00Z');

function secretsOn(store: InMemoryWebhookSecretStore, ...keys: (typeof keyA)[]) {
  return new WebhookSecrets(new SecretBox(SecretsKeyring.of(...keys)), store, new FixedClock(now));
}

function webhookWith(secretId: string): ExistingWebhook {
  return evolve(
    initialState,
    webhookCreated({ id: 'wh-1', secret: { id: secretId } }),
  ) as ExistingWebhook;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('WebhookSecrets: ciphertexts in the secret store, under the keyring', () => {
  it('given a ring, when a secret is sealed, then its ciphertext is stored under the newest key and the plaintext is nowhere in it', async () => {
    const store = new InMemoryWebhookSecretStore();

    const sealed = await secretsOn(store, keyB, keyA).seal('wh-1');

    const doc = store.docs.get(`wh-1:${sealed.secretId}`);
    expect(doc).toMatchObject({
      webhookId: 'wh-1',
      secretId: sealed.secretId,
      kid: 'kB',
      createdAt: now,
    });
    expect(JSON.stringify(doc)).not.toContain(String(sealed.plaintext).slice(6));
    expect(sealed.plaintext).toMatch(/^whsec_/);
  });

  it('given a sealed secret, when read back through a ring that still holds its key, then the plaintext comes back', async () => {
    const store = new InMemoryWebhookSecretStore();
    const sealed = await secretsOn(store, keyA).seal(
      'wh-1',
      `whsec_${randomBytes(32).toString('base64')}`,
    );

    const plaintext = await secretsOn(store, keyB, keyA).plaintextOf('wh-1', {
      id: sealed.secretId,
    });

    expect(plaintext).toBe(sealed.plaintext);
  });

  it('given a secret whose key left the ring, when read, then an UnknownSecretKeyError names the key id', async () => {
    const store = new InMemoryWebhookSecretStore();
    const sealed = await secretsOn(store, keyA).seal('wh-1');

    const error = await rejection(
      secretsOn(store, keyB).plaintextOf('wh-1', { id: sealed.secretId }),
    );

    expect(error).toBeInstanceOf(UnknownSecretKeyError);
    expect(error.message).toContain('"kA"');
    expect(error.message).not.toContain(sealed.plaintext);
  });

  it("given a stored ciphertext moved onto another webhook's document, when read, then it does not decrypt", async () => {
    const store = new InMemoryWebhookSecretStore();
    const secrets = secretsOn(store, keyA);
    const sealed = await secretsOn(store, keyA).seal('wh-1');
    const doc = store.docs.get(`wh-1:${sealed.secretId}`)!;
    store.docs.set(`wh-2:${sealed.secretId}`, {
      ...doc,
      _id: `wh-2:${sealed.secretId}`,
      webhookId: 'wh-2',
    });

    const error = await rejection(secrets.plaintextOf('wh-2', { id: sealed.secretId }));
    expect(error).toBeInstanceOf(SecretDecryptionError);
  });

  it('given a secret an old event holds inline (legacy, no key id), when the store has none, then it decrypts with k0', async () => {
    const store = new InMemoryWebhookSecretStore();
    const { kid: _kid, ...legacy } = new SecretBox(legacyKey.key).encrypt('whsec_legacy', 'wh-1');

    const plaintext = await secretsOn(store, keyB, legacyKey).plaintextOf('wh-1', {
      id: 'v1-x',
      legacy,
    });

    expect(plaintext).toBe('whsec_legacy');
  });

  it('given a legacy secret that was copied into the store, when read, then the store wins over the inline copy', async () => {
    const store = new InMemoryWebhookSecretStore();
    const legacy = new SecretBox(legacyKey.key).encrypt('whsec_inline', 'wh-1');
    const copy = secretsOn(store, keyB);
    await store.insert({
      _id: 'wh-1:v1-x',
      webhookId: 'wh-1',
      secretId: 'v1-x',
      ...new SecretBox(SecretsKeyring.of(keyB)).encrypt('whsec_stored', 'wh-1:v1-x'),
      kid: 'kB',
      createdAt: now,
    });

    expect(await copy.plaintextOf('wh-1', { id: 'v1-x', legacy })).toBe('whsec_stored');
  });

  it('given a webhook whose secrets were shredded, when read, then SecretNotStoredError, and reveal fails the same way', async () => {
    const store = new InMemoryWebhookSecretStore();
    const secrets = secretsOn(store, keyA);
    const sealed = await secrets.seal('wh-1');
    await secrets.seal('wh-2');

    expect(await secrets.shred('wh-1')).toBe(1);

    await expect(secrets.plaintextOf('wh-1', { id: sealed.secretId })).rejects.toBeInstanceOf(
      SecretNotStoredError,
    );
    await expect(secrets.reveal(webhookWith(sealed.secretId), now)).rejects.toBeInstanceOf(
      SecretNotStoredError,
    );
    expect(store.docs.size).toBe(1);
  });

  it('given a sealed secret no event came to use, when discarded, then it is gone', async () => {
    const store = new InMemoryWebhookSecretStore();
    const secrets = secretsOn(store, keyA);
    const sealed = await secrets.seal('wh-1');

    await secrets.discard('wh-1', sealed.secretId);

    expect(store.docs.size).toBe(0);
  });

  it('given an invalid supplied secret, when sealed, then it is refused and nothing is stored', async () => {
    const store = new InMemoryWebhookSecretStore();

    await expect(secretsOn(store, keyA).seal('wh-1', 'not-a-secret')).rejects.toBeInstanceOf(
      WebhookValidationError,
    );
    expect(store.docs.size).toBe(0);
  });

  it('given a webhook, when revealed, then its current secret comes from the store', async () => {
    const store = new InMemoryWebhookSecretStore();
    const secrets = secretsOn(store, keyA);
    const sealed = await secrets.seal('wh-1');

    expect(await secrets.reveal(webhookWith(sealed.secretId), now)).toEqual({
      secret: sealed.plaintext,
      previous: null,
    });
  });
});

describe('WebhookSecrets: ed25519 keys (asymmetric, Standard Webhooks v1a)', () => {
  it('given the asymmetric scheme, when sealed, then a whsk_ key is stored encrypted like a secret and only its whpk_ public key comes back', async () => {
    const store = new InMemoryWebhookSecretStore();
    const secrets = secretsOn(store, keyA);

    const sealed = await secrets.seal('wh-1', undefined, 'asymmetric');

    expect(sealed).toMatchObject({ plaintext: null, signatureScheme: 'asymmetric' });
    expect(sealed.publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    expect(sealed.secretHint).toBe(`whpk_…${String(sealed.publicKey).slice(-5, -1)}`);
    const doc = store.docs.get(`wh-1:${sealed.secretId}`);
    expect(doc).toMatchObject({ kid: 'kA' });
    expect(JSON.stringify(doc)).not.toMatch(/whsk_/);
    const privateKey = await secrets.plaintextOf('wh-1', { id: sealed.secretId });
    expect(privateKey).toMatch(/^whsk_[A-Za-z0-9+/]{43}=$/);
    expect(publicKeyOf(privateKey)).toBe(sealed.publicKey);
  });

  it("given the asymmetric scheme and the caller's own whsk_ key, when sealed, then that key is stored and its public key comes back", async () => {
    const store = new InMemoryWebhookSecretStore();
    const own = generateSigningKeyPair();

    const sealed = await secretsOn(store, keyA).seal('wh-1', own.secretKey, 'asymmetric');

    expect(sealed).toMatchObject({
      plaintext: null,
      signatureScheme: 'asymmetric',
      publicKey: own.publicKey,
    });
    expect(await secretsOn(store, keyA).plaintextOf('wh-1', { id: sealed.secretId })).toBe(
      own.secretKey,
    );
  });

  it.each([
    ['a whsec_ secret', `whsec_${randomBytes(32).toString('base64')}`],
    ['a whsk_ key of the wrong length', `whsk_${randomBytes(31).toString('base64')}`],
    ['a whpk_ public key', generateSigningKeyPair().publicKey],
  ])(
    'given the asymmetric scheme and %s, when sealed, then it is refused without echoing it and nothing is stored',
    async (_, supplied) => {
      const store = new InMemoryWebhookSecretStore();

      const error = await rejection(secretsOn(store, keyA).seal('wh-1', supplied, 'asymmetric'));

      expect(error).toBeInstanceOf(WebhookValidationError);
      expect(error.message).not.toContain(supplied.slice(5));
      expect(store.docs.size).toBe(0);
    },
  );

  it('given an asymmetric webhook rotated from a symmetric one, when revealed, then the whsec_ in its window comes back, the private key never: its public key instead', async () => {
    const store = new InMemoryWebhookSecretStore();
    const secrets = secretsOn(store, keyA);
    const first = await secrets.seal('wh-1');
    const second = await secrets.seal('wh-1', undefined, 'asymmetric');
    const webhook = [
      webhookCreated({ id: 'wh-1', secret: { id: first.secretId } }),
      {
        type: 'SecretRotated' as const,
        data: {
          id: 'wh-1',
          secret: { id: second.secretId },
          secretHint: second.secretHint,
          previousSecret: { id: first.secretId },
          previousSecretHint: first.secretHint,
          previousSecretValidUntil: '2026-05-02T00:00:00.000Z',
          signatureScheme: 'asymmetric' as const,
          publicKey: second.publicKey,
          previousSignatureScheme: 'symmetric' as const,
          previousPublicKey: null,
        },
      },
    ].reduce(evolve, initialState) as ExistingWebhook;

    const revealed = await secrets.reveal(webhook, now);

    expect(revealed).toEqual({
      secret: null,
      publicKey: second.publicKey,
      previous: { secret: first.plaintext, validUntil: '2026-05-02T00:00:00.000Z' },
    });
    expect(JSON.stringify(revealed)).not.toMatch(/whsk_/);
  });
});
