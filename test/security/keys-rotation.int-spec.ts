import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { Webhook } from 'standardwebhooks';
import { EventStore, SystemClock } from '@app/event-store';
import { SecretBox, signAccessToken } from '@app/platform';
import {
  attemptOf,
  DELIVERY_ATTEMPTS_COLLECTION,
  signWebhook,
  SigningSecrets,
  type StoredAttempt,
} from '@app/deliveries';
import {
  WEBHOOK_SECRETS_COLLECTION,
  WebhookRepository,
  WebhookSecrets,
  type ExistingWebhook,
  type WebhookSecretDocument,
} from '@app/webhooks';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApi } from '../../apps/api/src/configure-api';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { runSecretsReencrypt } from '../../scripts/secrets-reencrypt';
import { platformEvent } from '../support/delivery-rig';
import { startReceiver } from '../support/receiver';
import { startTestApp, testDatabaseAddress, type TestApp } from '../support/test-app';
import { eventually } from '../support/within';

/**
 * Keys and their rotation, as an attacker and as an operator meet them: SECRETS_ENCRYPTION_KEY as
 * a keyring, `npm run secrets:reencrypt`, and crypto-shredding on delete. Every api here runs on
 * one database (a restart with another keyring is a new api on the same data).
 */
const JWT_SECRET = 'keys-rotation-signing-key-that-is-long-enough-0123';
const b64 = (key: Buffer) => key.toString('base64');
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const RING_A = `kA:${b64(keyA)}`;
const RING_BA = `kB:${b64(keyB)},kA:${b64(keyA)}`;
const RING_B = `kB:${b64(keyB)}`;

describe('security: encryption keys, their rotation and crypto-shredding (real database)', () => {
  const database = testDatabaseAddress('keys_rotation');
  const stateDir = mkdtempSync(join(tmpdir(), 'keys-rotation-'));
  let connection: Connection;
  const apis: TestApp[] = [];

  beforeAll(async () => {
    connection = mongoose.createConnection(database.uri, { serverSelectionTimeoutMS: 10_000 });
    await connection.asPromise();
  });

  afterAll(async () => {
    for (const api of apis) await api.close().catch(() => undefined);
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  /** An api on the shared database with this SECRETS_ENCRYPTION_KEY. */
  async function apiWith(keyring: string): Promise<TestApp> {
    const api = await startTestApp(ApiModule, {
      label: 'keys_rotation',
      mongodbUri: () => database.uri,
      configure: configureApi,
      env: { AUTH_JWT_SECRET: JWT_SECRET, SECRETS_ENCRYPTION_KEY: keyring },
    });
    apis.push(api);
    return api;
  }

  async function stop(api: TestApp): Promise<void> {
    apis.splice(apis.indexOf(api), 1);
    await api.close();
  }

  async function call(api: TestApp, method: string, path: string, body?: unknown) {
    const token = signAccessToken(JWT_SECRET, { id: 'alice', role: 'admin' }, 600);
    const response = await fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, text, body: text ? JSON.parse(text) : undefined };
  }

  const createWebhook = async (api: TestApp, name: string) => {
    const created = await call(api, 'POST', '/webhooks', {
      name,
      url: 'https://hooks.example.com/in',
      environment: 'production',
      eventTypes: ['license.created'],
    });
    expect(created.status).toBe(201);
    return created.body as { id: string; secret: string };
  };

  const storedSecrets = (webhookId: string) =>
    connection
      .collection<WebhookSecretDocument>(WEBHOOK_SECRETS_COLLECTION)
      .find({ webhookId })
      .toArray();

  /** What the worker does to sign: the webhook's secrets through this app's keyring. */
  async function signedBy(api: TestApp, webhookId: string): Promise<Record<string, string>> {
    const { state } = await api.app.get(WebhookRepository, { strict: false }).load(webhookId);
    const signing = new SigningSecrets(api.app.get(WebhookSecrets, { strict: false }));
    return signWebhook({
      messageId: 'evt-rotation',
      timestampSeconds: Math.floor(Date.now() / 1000),
      body: '{"type":"license.created"}',
      secrets: await signing.secretsOf(state as ExistingWebhook, new Date()),
      eventType: 'license.created',
    });
  }

  async function reencrypt(keyring: string) {
    const out = { stdout: '', stderr: '' };
    const code = await runSecretsReencrypt(
      [],
      { MONGODB_URI: database.uri, SECRETS_ENCRYPTION_KEY: keyring, LOCAL_STATE_DIR: stateDir },
      {
        stdout: (text) => (out.stdout += text),
        stderr: (text) => (out.stderr += text),
      },
    );
    return { code, ...out };
  }

  it('given a webhook created under key A, when the ring becomes "B,A" and secrets:reencrypt runs, then ring "B" alone still reveals the secret and signs deliveries', async () => {
    const underA = await apiWith(RING_A);
    const { id, secret } = await createWebhook(underA, 'Rotation');
    expect((await storedSecrets(id)).map((doc) => doc.kid)).toEqual(['kA']);
    await stop(underA);

    // Step 1: the new key first, the old one still there: everything still reads.
    const underBA = await apiWith(RING_BA);
    expect((await call(underBA, 'GET', `/webhooks/${id}/secret`)).body.secret).toBe(secret);

    // Step 2: the command moves every secret to the newest key; a second run finds nothing to do.
    const first = await reencrypt(RING_BA);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/re-encrypted\s+1\n/);
    expect(first.stdout).not.toContain(secret);
    expect((await storedSecrets(id)).map((doc) => doc.kid)).toEqual(['kB']);
    const again = await reencrypt(RING_BA);
    expect(again.stdout).toMatch(/re-encrypted\s+0\n/);
    expect(again.stdout).toMatch(/already current\s+1\n/);
    await stop(underBA);

    // Step 3: the old key goes.
    const underB = await apiWith(RING_B);
    expect((await call(underB, 'GET', `/webhooks/${id}/secret`)).body.secret).toBe(secret);
    const headers = await signedBy(underB, id);
    expect(() => new Webhook(secret).verify('{"type":"license.created"}', headers)).not.toThrow();
    await stop(underB);
  });

  it('given a worker whose ring lacks the key, when an event arrives, then the attempt fails naming the key id; after secrets:reencrypt a worker with ring "B" alone delivers it signed', async () => {
    const receiver = await startReceiver({ https: true });
    const caFile = join(stateDir, 'receiver-ca.pem');
    writeFileSync(caFile, receiver.caPem ?? '');
    const suffix = randomBytes(4).toString('hex');
    const topic = `keys.${suffix}.licenses`;
    const workerEnv = {
      KAFKA_TOPICS: topic,
      KAFKA_DEAD_LETTER_TOPIC: `keys.${suffix}.dead-letter`,
      KAFKA_CONSUMER_GROUP: `keys-${suffix}`,
      DELIVERY_ALLOWED_CIDRS: '127.0.0.1/32',
      DELIVERY_TLS_CA_FILE: caFile,
      PROJECTION_POLL_INTERVAL_MS: '50',
      DELIVERY_QUEUE_POLL_INTERVAL_MS: '100',
    };
    const workerWith = async (keyring: string) => {
      const worker = await startTestApp(WorkerModule, {
        label: 'keys_rotation_worker',
        mongodbUri: () => database.uri,
        env: { ...workerEnv, SECRETS_ENCRYPTION_KEY: keyring },
      });
      apis.push(worker);
      await eventually(
        async () => (await fetch(`${worker.url}/health/ready`)).status === 200,
        'the worker to be ready',
        30_000,
      );
      return worker;
    };
    const kafka = new Kafka({
      clientId: `keys-${suffix}`,
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    const attempts = connection.collection<StoredAttempt>(DELIVERY_ATTEMPTS_COLLECTION);
    try {
      const underA = await apiWith(RING_A);
      const created = await call(underA, 'POST', '/webhooks', {
        name: 'Delivered after rotation',
        url: `${receiver.url}/rotation`,
        environment: 'production',
        eventTypes: ['license.created'],
      });
      expect(created.status).toBe(201);
      const { id, secret } = created.body as { id: string; secret: string };
      await stop(underA);

      // A worker that was given only the new key before the secrets were moved: a clear error.
      const early = await workerWith(RING_B);
      const first = platformEvent('license.created');
      await producer.send({ topic, messages: [{ value: JSON.stringify(first) }] });
      await eventually(
        async () => (await attempts.findOne({ webhookId: id, eventId: first.id })) !== null,
        'the first attempt to be recorded',
        30_000,
      );
      const recorded = await attempts.findOne({ webhookId: id, eventId: first.id });
      expect(recorded && attemptOf(recorded).error).toBe(
        'not sent: Cannot decrypt secret: its key "kA" is not in SECRETS_ENCRYPTION_KEY',
      );
      expect(receiver.requests).toHaveLength(0);
      await stop(early);

      expect((await reencrypt(RING_BA)).code).toBe(0);

      const worker = await workerWith(RING_B);
      const second = platformEvent('license.created');
      await producer.send({ topic, messages: [{ value: JSON.stringify(second) }] });
      const request = await receiver.waitFor(
        (received) => received.rawBody.includes(second.id),
        30_000,
      );
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
      );
      expect(() => new Webhook(secret).verify(request.rawBody, headers)).not.toThrow();
      await stop(worker);
    } finally {
      await producer.disconnect().catch(() => undefined);
      await receiver.close();
    }
  });

  it('given a secret an old event holds inline under the bare key of before, when rotated, then the log is not rewritten and ring "B" alone reads the copy in the store', async () => {
    const id = randomUUID();
    const legacy = new SecretBox(keyA).encrypt(`whsec_${b64(randomBytes(32))}`, id);
    delete legacy.kid;
    const plaintext = new SecretBox(keyA).decrypt(legacy, id);
    const events = new EventStore(connection, new SystemClock());
    await events.init();
    await events.append(`webhook-${id}`, 0, [
      {
        type: 'WebhookCreated',
        schemaVersion: 1,
        data: {
          id,
          name: 'From before key ids',
          url: 'https://hooks.example.com/old',
          environment: 'production',
          eventTypes: ['license.created'],
          description: null,
          active: true,
          encryptedSecret: legacy,
          secretHint: 'whsec_…old1',
        },
        metadata: { actor: 'user:alice', correlationId: 'c', causationId: 'c' },
      },
    ]);

    // Today's form (a bare key) keeps working: it is the key `k0`.
    const today = await apiWith(b64(keyA));
    expect((await call(today, 'GET', `/webhooks/${id}/secret`)).body.secret).toBe(plaintext);
    await stop(today);

    const ring = `kB:${b64(keyB)},k0:${b64(keyA)}`;
    const report = await reencrypt(ring);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/copied from old events\s+1\n/);
    expect((await storedSecrets(id)).map((doc) => doc.kid)).toEqual(['kB']);

    const underB = await apiWith(RING_B);
    expect((await call(underB, 'GET', `/webhooks/${id}/secret`)).body.secret).toBe(plaintext);
    const headers = await signedBy(underB, id);
    expect(() =>
      new Webhook(plaintext).verify('{"type":"license.created"}', headers),
    ).not.toThrow();
    await stop(underB);

    // The stored event is untouched: still schema version 1 with its inline ciphertext, which
    // without key k0 in the ring no longer decrypts.
    const commit = await connection
      .collection('event_commits')
      .findOne({ streamId: `webhook-${id}` });
    expect(commit?.events[0]).toMatchObject({
      schemaVersion: 1,
      data: { encryptedSecret: legacy },
    });
    expect(() => new SecretBox(keyB).decrypt(legacy, id)).toThrow();
  });

  it('given a webhook with a rotated secret, when it is deleted, then its secrets are gone from the store and neither reveal nor delivery can decrypt them', async () => {
    const api = await apiWith(RING_BA);
    const { id } = await createWebhook(api, 'Shred me');
    const rotated = await call(api, 'POST', `/webhooks/${id}/secret/rotate`, {});
    expect(rotated.status).toBe(200);
    const { state } = await api.app.get(WebhookRepository, { strict: false }).load(id);
    expect(await storedSecrets(id)).toHaveLength(2);

    expect((await call(api, 'DELETE', `/webhooks/${id}`)).status).toBe(204);

    expect(await storedSecrets(id)).toEqual([]);
    expect((await call(api, 'GET', `/webhooks/${id}/secret`)).status).toBe(404);
    const signing = new SigningSecrets(api.app.get(WebhookSecrets, { strict: false }));
    await expect(signing.secretsOf(state as ExistingWebhook, new Date())).rejects.toThrow(
      'no longer in the secret store',
    );
    // The history still says a secret was set and rotated, and shows none.
    const history = await call(api, 'GET', `/webhooks/${id}/history`);
    expect(history.body.items.map((entry: { type: string }) => entry.type)).toEqual([
      'WebhookCreated',
      'SecretRotated',
      'WebhookDeleted',
    ]);
    expect(history.text).not.toMatch(/"secret"|"previousSecret"|"iv"|"data":"/);
    await stop(api);
  });

  it('given a secret rotated out twice (say it leaked), when the second rotation commits, then its ciphertext is gone from the store; the two in use stay', async () => {
    const api = await apiWith(RING_B);
    const { id } = await createWebhook(api, 'Rotated twice');
    const [leaked] = await storedSecrets(id);

    await call(api, 'POST', `/webhooks/${id}/secret/rotate`, {});
    expect(await storedSecrets(id)).toHaveLength(2);
    const second = await call(api, 'POST', `/webhooks/${id}/secret/rotate`, {});

    const stored = await storedSecrets(id);
    expect(stored).toHaveLength(2);
    expect(stored.map((doc) => doc._id)).not.toContain(leaked._id);
    const revealed = await call(api, 'GET', `/webhooks/${id}/secret`);
    expect(revealed.body.secret).toBe(second.body.secret);
    expect(revealed.body.previous.secret).toEqual(expect.stringMatching(/^whsec_/));
    await stop(api);
  });

  it("given an attacker who copies one webhook's stored ciphertext onto another's, when the other's secret is revealed, then it does not decrypt and nothing leaks", async () => {
    const api = await apiWith(RING_B);
    const victim = await createWebhook(api, 'Victim');
    const attacker = await createWebhook(api, 'Attacker');
    const [victimDoc] = await storedSecrets(victim.id);
    const [attackerDoc] = await storedSecrets(attacker.id);
    const { _id, webhookId, secretId, ...ciphertext } = victimDoc;
    expect([_id, webhookId, secretId]).toHaveLength(3);
    await connection
      .collection<WebhookSecretDocument>(WEBHOOK_SECRETS_COLLECTION)
      .updateOne({ _id: attackerDoc._id }, { $set: { ...ciphertext } });

    const revealed = await call(api, 'GET', `/webhooks/${attacker.id}/secret`);

    expect(revealed.status).toBe(500);
    expect(revealed.text).not.toContain(victim.secret);
    expect((await call(api, 'GET', `/webhooks/${victim.id}/secret`)).body.secret).toBe(
      victim.secret,
    );
    await stop(api);
  });

  it('given a keyring whose key is relabelled or removed, when a delivery is signed, then it fails with the key id and never the key', async () => {
    const api = await apiWith(RING_A);
    const { id } = await createWebhook(api, 'Removed key');
    await stop(api);

    const withoutA = await apiWith(RING_B);
    const error = await signedBy(withoutA, id).catch((failure: Error) => failure);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      'Cannot decrypt secret: its key "kA" is not in SECRETS_ENCRYPTION_KEY',
    );
    // The same id with another key (an attacker's or a mistyped one) does not decrypt either.
    await stop(withoutA);
    const relabelled = await apiWith(`kA:${b64(randomBytes(32))}`);
    await expect(signedBy(relabelled, id)).rejects.toThrow('Cannot decrypt secret');
    await stop(relabelled);
  });

  it('given a malformed keyring, when an api starts, then it refuses naming the variable without echoing any of it', async () => {
    const value = `kB:${b64(keyB)},kA:${b64(randomBytes(31))}`;

    const error = await apiWith(value).catch((failure: Error) => failure);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('SECRETS_ENCRYPTION_KEY');
    expect((error as Error).message).toContain('entry 2');
    for (const part of value.split(/[,:]/).filter((piece) => piece.length > 2)) {
      expect((error as Error).message).not.toContain(part);
    }
  });
});
