import { UpcasterRegistry } from '@app/event-store';
import { encryptedSecret } from './testing/webhook-fixtures';
import { WEBHOOK_EVENT_SCHEMA_VERSIONS } from './webhook.events';
import { WEBHOOK_UPCASTERS, legacySecretId } from './webhook.upcasters';

const upcasters = new UpcasterRegistry().registerAll(WEBHOOK_UPCASTERS);

describe('webhook upcasters: inline ciphertexts (v1) become references to the secret store (v2)', () => {
  it('given a WebhookCreated v1 with its ciphertext inline, when read, then it is v2 with a reference that keeps the ciphertext as legacy', () => {
    const stored = {
      type: 'WebhookCreated',
      schemaVersion: 1,
      data: { id: 'wh-1', name: 'CRM', encryptedSecret: encryptedSecret('first'), secretHint: 'h' },
    };

    const raised = upcasters.upcast(stored);

    expect(raised).toEqual({
      type: 'WebhookCreated',
      schemaVersion: WEBHOOK_EVENT_SCHEMA_VERSIONS.WebhookCreated,
      data: {
        id: 'wh-1',
        name: 'CRM',
        secret: { id: legacySecretId(encryptedSecret('first')), legacy: encryptedSecret('first') },
        secretHint: 'h',
        signatureScheme: 'symmetric',
        publicKey: null,
      },
    });
    expect(stored.data.encryptedSecret).toEqual(encryptedSecret('first'));
  });

  it('given a SecretRotated v1, when read, then both secrets are references, the previous one with the id its creation got', () => {
    const created = upcasters.upcast({
      type: 'WebhookCreated',
      schemaVersion: 1,
      data: { id: 'wh-1', encryptedSecret: encryptedSecret('first'), secretHint: 'h1' },
    });
    const rotated = upcasters.upcast({
      type: 'SecretRotated',
      schemaVersion: 1,
      data: {
        id: 'wh-1',
        encryptedSecret: encryptedSecret('second'),
        secretHint: 'h2',
        previousEncryptedSecret: encryptedSecret('first'),
        previousSecretHint: 'h1',
        previousSecretValidUntil: '2025-03-02T12:00:00.000Z',
      },
    });

    expect(rotated.schemaVersion).toBe(WEBHOOK_EVENT_SCHEMA_VERSIONS.SecretRotated);
    const data = rotated.data as Record<string, { id: string }>;
    expect(data.secret).toEqual({
      id: legacySecretId(encryptedSecret('second')),
      legacy: encryptedSecret('second'),
    });
    expect(data.previousSecret.id).toBe((created.data as Record<string, { id: string }>).secret.id);
    expect(data).not.toHaveProperty('encryptedSecret');
    expect(data).not.toHaveProperty('previousEncryptedSecret');
  });

  it('given a current (v3) event, when read, then it is left as it is', () => {
    const current = {
      type: 'WebhookCreated',
      schemaVersion: 3,
      data: {
        id: 'wh-1',
        secret: { id: 's-1' },
        secretHint: 'h',
        signatureScheme: 'asymmetric',
        publicKey: 'whpk_x',
      },
    };

    expect(upcasters.upcast(current)).toBe(current);
  });

  it('legacy ids differ by ciphertext and have the form of a store id', () => {
    expect(legacySecretId(encryptedSecret('a'))).not.toBe(legacySecretId(encryptedSecret('b')));
    expect(legacySecretId(encryptedSecret('a'))).toMatch(/^v1-[0-9a-f]{32}$/);
  });
});

describe('webhook upcasters: events from before asymmetric keys (v2) sign symmetrically (v3)', () => {
  it('given a WebhookCreated v2, when read, then it is v3, symmetric, with no public key', () => {
    const stored = {
      type: 'WebhookCreated',
      schemaVersion: 2,
      data: { id: 'wh-1', secret: { id: 's-1' }, secretHint: 'h' },
    };

    expect(upcasters.upcast(stored)).toEqual({
      type: 'WebhookCreated',
      schemaVersion: 3,
      data: {
        id: 'wh-1',
        secret: { id: 's-1' },
        secretHint: 'h',
        signatureScheme: 'symmetric',
        publicKey: null,
      },
    });
  });

  it('given a SecretRotated v2, when read, then it is v3 with both the new and the previous secret symmetric', () => {
    const raised = upcasters.upcast({
      type: 'SecretRotated',
      schemaVersion: 2,
      data: {
        id: 'wh-1',
        secret: { id: 's-2' },
        secretHint: 'h2',
        previousSecret: { id: 's-1' },
        previousSecretHint: 'h1',
        previousSecretValidUntil: '2025-03-02T12:00:00.000Z',
      },
    });

    expect(raised.schemaVersion).toBe(3);
    expect(raised.data).toMatchObject({
      secret: { id: 's-2' },
      signatureScheme: 'symmetric',
      publicKey: null,
      previousSignatureScheme: 'symmetric',
      previousPublicKey: null,
    });
  });
});
