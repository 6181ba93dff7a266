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

describe('webhook upcasters: WebhookDeactivated v1 had no kind (v2 says which rule paused it)', () => {
  const v1 = (data: Record<string, unknown>) =>
    upcasters.upcast({
      type: 'WebhookDeactivated',
      schemaVersion: 1,
      data: { id: 'wh-1', ...data },
    });

  it('given an automatic pause for a 410, when read, then it is v2 of kind gone, its detail kept', () => {
    expect(v1({ reason: 'automatic', detail: 'the endpoint answered 410 Gone' })).toEqual({
      type: 'WebhookDeactivated',
      schemaVersion: WEBHOOK_EVENT_SCHEMA_VERSIONS.WebhookDeactivated,
      data: {
        id: 'wh-1',
        reason: 'automatic',
        detail: 'the endpoint answered 410 Gone',
        kind: 'gone',
      },
    });
  });

  it('given an automatic pause for failing too long, when read, then it is of kind failing, even if its last error mentions a 410', () => {
    const detail =
      'every delivery attempt failed since 2026-11-01T00:00:00.000Z (last: upstream said 410 gone)';
    expect(v1({ reason: 'automatic', detail }).data).toMatchObject({ kind: 'failing', detail });
    expect(v1({ reason: 'automatic' }).data).toMatchObject({ kind: 'failing' });
  });

  it('given an admin deactivation, when read, then it is v2 without a kind', () => {
    const raised = v1({ reason: 'admin' });
    expect(raised.schemaVersion).toBe(2);
    expect(raised.data).toEqual({ id: 'wh-1', reason: 'admin' });
  });
});
