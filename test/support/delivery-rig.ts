import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { kafkaSecurityFromEnvironment } from '@app/config';
import { kafkaClientConfig, signAccessToken, type Role } from '@app/platform';
import { SubscriptionIndex } from '@app/webhooks';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApi } from '../../apps/api/src/configure-api';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { exampleData } from './event-data';
import { startReceiver, type Receiver } from './receiver';
import { startTestApp, type TestApp } from './test-app';
import { eventually } from './within';

export const RIG_JWT_SECRET = 'delivery-e2e-signing-key-that-is-long-enough-0123456789';

export interface RigOptions {
  label: string;
  /** Extra environment for both apps. */
  env?: Record<string, string>;
  /** false: no in-process worker (the test runs its own, e.g. as a child process to kill). */
  worker?: boolean;
}

/**
 * The whole product for an end-to-end test: the api and the worker running in this process against
 * one fresh database and the real Kafka (topics, dead-letter topic and consumer group unique to the
 * rig), and a real HTTPS receiver on 127.0.0.1 that the worker trusts and may reach (the SSRF guard
 * allows 127.0.0.1/32 only).
 */
export interface DeliveryRig {
  api: TestApp;
  /** The in-process worker; absent when started with `worker: false`. */
  worker?: TestApp;
  receiver: Receiver;
  /** `operational`: where the worker publishes webhook.paused and delivery.failed (and reads them). */
  topics: { activations: string; licenses: string; operational: string; deadLetter: string };
  /** The environment the apps were started with (to start another worker like them). */
  env: Record<string, string>;
  call(
    method: string,
    path: string,
    options?: { role?: Role; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes
  createWebhook(fields: {
    name: string;
    path: string;
    environment?: string;
    eventTypes: string[];
    active?: boolean;
  }): Promise<{ id: string; secret: string; url: string }>;
  /** Resolves once the worker's subscription index reflects `version` of the webhook. */
  workerSees(webhookId: string, version?: number): Promise<void>;
  publish(topic: string, messages: { key?: string; value: string | Buffer }[]): Promise<void>;
  close(): Promise<void>;
}

export async function startDeliveryRig(options: RigOptions): Promise<DeliveryRig> {
  const suffix = `${options.label}-${randomBytes(4).toString('hex')}`;
  const topics = {
    activations: `e2e.${suffix}.activations`,
    licenses: `e2e.${suffix}.licenses`,
    operational: `e2e.${suffix}.webhooks`,
    deadLetter: `e2e.${suffix}.dead-letter`,
  };
  const receiver = await startReceiver({ https: true });
  const caFile = join(mkdtempSync(join(tmpdir(), 'rig-ca-')), 'receiver-ca.pem');
  writeFileSync(caFile, receiver.caPem ?? '');
  const env: Record<string, string> = {
    AUTH_JWT_SECRET: RIG_JWT_SECRET,
    // The api encrypts webhook secrets and the worker decrypts them: one key for both.
    SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    KAFKA_TOPICS: `${topics.activations},${topics.licenses}`,
    KAFKA_OPERATIONAL_TOPIC: topics.operational,
    KAFKA_DEAD_LETTER_TOPIC: topics.deadLetter,
    KAFKA_CONSUMER_GROUP: `e2e-${suffix}`,
    DELIVERY_ALLOWED_CIDRS: '127.0.0.1/32',
    DELIVERY_TLS_CA_FILE: caFile,
    DELIVERY_QUEUE_POLL_INTERVAL_MS: '100',
    PROJECTION_POLL_INTERVAL_MS: '50',
    ...options.env,
  };
  const api = await startTestApp(ApiModule, { label: options.label, configure: configureApi, env });
  env.MONGODB_URI = api.database.uri;
  const worker =
    options.worker === false
      ? undefined
      : await startTestApp(WorkerModule, {
          label: `${options.label}_worker`,
          mongodbUri: () => api.database.uri,
          env,
        });

  // The broker the apps were given, with their TLS and SASL settings if any.
  const brokers = (env.KAFKA_BROKERS ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const { ssl, sasl } = kafkaClientConfig({
    kafkaClientId: `rig-${suffix}`,
    kafkaBrokers: brokers,
    ...kafkaSecurityFromEnvironment({ ...process.env, ...env }),
  });
  const kafka = new Kafka({
    clientId: `rig-${suffix}`,
    brokers,
    logLevel: logLevel.NOTHING,
    ssl,
    sasl,
  });
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();

  const call: DeliveryRig['call'] = async (method, path, callOptions = {}) => {
    const role = callOptions.role ?? 'owner';
    const response = await fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${signAccessToken(RIG_JWT_SECRET, { id: `${role}-e2e`, role }, 600)}`,
        ...(callOptions.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...callOptions.headers,
      },
      body: callOptions.body !== undefined ? JSON.stringify(callOptions.body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  const index = worker?.app.get(SubscriptionIndex);
  const workerSees = async (webhookId: string, version = 1) => {
    if (!index) return;
    await eventually(() => {
      const found = index.lookup(webhookId);
      return 'target' in found && found.target.version >= version;
    }, `the worker to see webhook ${webhookId} at version ${version}`);
  };

  return {
    api,
    worker,
    receiver,
    topics,
    env,
    call,
    async createWebhook(fields) {
      const url = `${receiver.url}${fields.path}`;
      const { status, body } = await call('POST', '/webhooks', {
        body: {
          name: fields.name,
          url,
          environment: fields.environment ?? 'production',
          eventTypes: fields.eventTypes,
          active: fields.active ?? true,
        },
      });
      if (status !== 201) throw new Error(`create webhook: ${status} ${JSON.stringify(body)}`);
      await workerSees(body.id);
      return { id: body.id, secret: body.secret, url };
    },
    workerSees,
    async publish(topic, messages) {
      await producer.send({ topic, acks: -1, messages });
    },
    async close() {
      await producer.disconnect().catch(() => undefined);
      await worker?.close();
      await api.close();
      await receiver.close();
    },
  };
}

/** A platform event as a producer would publish it. */
export function platformEvent(
  type: string,
  overrides: Partial<{ id: string; environment: string; data: Record<string, unknown> }> = {},
) {
  return {
    id: overrides.id ?? `evt_${randomBytes(8).toString('hex')}`,
    type,
    environment: overrides.environment ?? 'production',
    occurredAt: new Date().toISOString(),
    // Valid for its type's schema unless a test says otherwise.
    data: overrides.data ?? exampleData(type),
  };
}

// Kept in within.ts (tests without the apps use it too); re-exported for the suites that import it here.
export { eventually };
