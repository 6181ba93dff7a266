import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from '@app/platform';
import { dropTestDatabase, openTestDatabase } from '../../../../test/support/test-database';
import { MongoWebhookSecretStore, type WebhookSecretDocument } from './webhook-secret-store';

const at = new Date('2026-05-01T00:00:00Z');

function doc(webhookId: string, secretId: string, kid = 'kA'): WebhookSecretDocument {
  return {
    _id: `${webhookId}:${secretId}`,
    webhookId,
    secretId,
    v: 1,
    kid,
    iv: 'aXY=',
    tag: 'dGFn',
    data: 'ZGF0YQ==',
    createdAt: at,
  };
}

const newer = { v: 1 as const, kid: 'kB', iv: 'bmV3', tag: 'bmV3dGFn', data: 'bmV3ZGF0YQ==' };

describe('MongoWebhookSecretStore on the real database', () => {
  let connection: Connection;
  let store: MongoWebhookSecretStore;

  beforeAll(async () => {
    connection = await openTestDatabase('webhook_secrets');
    store = new MongoWebhookSecretStore(connection);
    await store.ensureIndexes();
  });

  afterAll(() => dropTestDatabase(connection));

  it('given a stored secret, when the same id is inserted again, then it is a duplicate key and the first stays', async () => {
    await store.insert(doc('wh-1', 's-1'));

    const error = await store.insert({ ...doc('wh-1', 's-1'), data: 'b3RoZXI=' }).catch((e) => e);

    expect(isDuplicateKeyError(error)).toBe(true);
    expect((await store.get('wh-1', 's-1'))?.data).toBe('ZGF0YQ==');
  });

  it('given a secret under kA, when replaced from kA, then it is under kB; a second replace from kA writes nothing', async () => {
    await store.insert(doc('wh-2', 's-1'));

    expect(await store.replaceCiphertext('wh-2', 's-1', 'kA', newer, at)).toBe(true);
    expect(await store.replaceCiphertext('wh-2', 's-1', 'kA', { ...newer, data: 'eA==' }, at)).toBe(
      false,
    );

    expect(await store.get('wh-2', 's-1')).toMatchObject({ ...newer, reencryptedAt: at });
  });

  it('given a deleted secret, when a late re-encryption replaces it, then it stays deleted', async () => {
    await store.insert(doc('wh-3', 's-1'));
    expect(await store.deleteAllOf('wh-3')).toBe(1);

    expect(await store.replaceCiphertext('wh-3', 's-1', 'kA', newer, at)).toBe(false);

    expect(await store.get('wh-3', 's-1')).toBeNull();
  });

  it("given two webhooks' secrets, when one webhook's are deleted, then only its go", async () => {
    await store.insert(doc('wh-4', 's-1'));
    await store.insert(doc('wh-4', 's-2'));
    await store.insert(doc('wh-5', 's-1'));

    expect(await store.deleteAllOf('wh-4')).toBe(2);
    expect(await store.delete('wh-5', 's-1')).toBe(true);
    expect(await store.delete('wh-5', 's-1')).toBe(false);

    expect(await store.get('wh-4', 's-2')).toBeNull();
  });
});
