import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '@app/config';
import { KafkaHealthIndicator, kafkaClientConfig } from '@app/platform';
import { platformEvent, startDeliveryRig, type DeliveryRig } from '../support/delivery-rig';
import { eventually } from '../support/within';

/*
 * Kafka over TLS with SASL, against the local broker's TLS + SASL listener (scripts/infra: SASL_SSL
 * with SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN, a CA of its own). Whoever can produce to the platform
 * topics gets their payload signed with every subscriber's secret: only a client that authenticates,
 * over TLS, may reach them.
 */

/** What `scripts/infra env` prints for the listener (exported to the tests by the global setup). */
interface SecureListener {
  brokers: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  scram: { username: string; password: string };
  plain: { username: string; password: string };
}

const ROOT = resolve(__dirname, '../..');

function secureListener(): SecureListener {
  let env: NodeJS.ProcessEnv = process.env;
  if (!env.LOCAL_KAFKA_SECURE_BROKERS) {
    // MONGODB_URI and KAFKA_BROKERS were set by hand (the global setup then exports nothing): ask
    // the script, as the global setup would have.
    const printed = execFileSync('bash', [join(ROOT, 'scripts/infra'), 'env'], {
      encoding: 'utf8',
    });
    env = Object.fromEntries(
      [...printed.matchAll(/^export ([A-Z][A-Z0-9_]*)=(\S+)$/gm)].map(([, name, value]) => [
        name,
        value,
      ]),
    );
  }
  const required = (name: string): string => {
    const value = env[name];
    if (!value) {
      throw new Error(
        `${name} is not set: the local Kafka runs without its TLS + SASL listener (started by an ` +
          'older scripts/infra?). Restart it: scripts/infra stop kafka && scripts/infra start kafka',
      );
    }
    return value;
  };
  return {
    brokers: required('LOCAL_KAFKA_SECURE_BROKERS'),
    caFile: required('LOCAL_KAFKA_SSL_CA_FILE'),
    certFile: required('LOCAL_KAFKA_SSL_CERT_FILE'),
    keyFile: required('LOCAL_KAFKA_SSL_KEY_FILE'),
    scram: {
      username: required('LOCAL_KAFKA_SCRAM_USERNAME'),
      password: required('LOCAL_KAFKA_SCRAM_PASSWORD'),
    },
    plain: {
      username: required('LOCAL_KAFKA_PLAIN_USERNAME'),
      password: required('LOCAL_KAFKA_PLAIN_PASSWORD'),
    },
  };
}

/** The apps' settings for the listener, as an operator would write them. */
function appSettings(
  listener: SecureListener,
  mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain',
  overrides: Record<string, string> = {},
): Record<string, string> {
  const user = mechanism === 'plain' ? listener.plain : listener.scram;
  return {
    KAFKA_BROKERS: listener.brokers,
    KAFKA_SSL: 'true',
    KAFKA_SSL_CA_FILE: listener.caFile,
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: user.username,
    KAFKA_SASL_PASSWORD: user.password,
    ...overrides,
  };
}

/** The kafkajs options the apps build from `settings` (loadConfig, then kafkaClientConfig). */
function productClient(settings: Record<string, string>, stateDir: string): KafkaConfig {
  const config = loadConfig({
    LOCAL_STATE_DIR: stateDir,
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ...settings,
  });
  return { ...kafkaClientConfig(config), retry: { retries: 0 }, connectionTimeout: 5_000 };
}

/** Produces one message and reads it back with a consumer group of its own, both with `options`. */
async function roundTrip(options: KafkaConfig, label: string): Promise<string> {
  const kafka = new Kafka({ ...options, logLevel: logLevel.NOTHING });
  const topic = `e2e.kafka-tls.${label}.${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumer = kafka.consumer({
    groupId: `e2e-kafka-tls-${label}-${randomBytes(4).toString('hex')}`,
  });
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await producer.connect();
    const value = `hello over ${label} ${randomBytes(4).toString('hex')}`;
    await producer.send({ topic, acks: -1, messages: [{ value }] });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const received = new Promise<string>((done) => {
      void consumer.run({
        eachMessage: ({ message }) => Promise.resolve(done(String(message.value))),
      });
    });
    expect(await received).toBe(value);
    return value;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

/** Connects an admin with `options`; resolves with the error it fails with (or fails the test). */
async function refusal(options: KafkaConfig): Promise<Error> {
  const admin = new Kafka({ ...options, logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    return error as Error;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  throw new Error(`the broker accepted ${JSON.stringify({ ...options, sasl: undefined })}`);
}

describe('Security: Kafka over TLS with SASL (the local broker’s TLS + SASL listener)', () => {
  let listener: SecureListener;
  let stateDir: string;

  beforeAll(() => {
    listener = secureListener();
    stateDir = mkdtempSync(join(tmpdir(), 'kafka-tls-'));
  });

  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  describe('the apps on SCRAM-SHA-512 over TLS', () => {
    let rig: DeliveryRig;

    beforeAll(async () => {
      rig = await startDeliveryRig({
        label: 'kafka-tls',
        env: appSettings(listener, 'scram-sha-512'),
      });
    });

    afterAll(() => rig?.close());

    it('given the worker on SCRAM-SHA-512 over TLS, when a platform event is produced over TLS + SCRAM, then the worker consumes it and delivers it, signed', async () => {
      const hook = await rig.createWebhook({
        name: 'Over TLS',
        path: '/over-tls',
        eventTypes: ['license.created'],
      });
      const event = platformEvent('license.created');
      const producer = new Kafka({
        brokers: [listener.brokers],
        ssl: { ca: [readFileSync(listener.caFile, 'utf8')] },
        sasl: { mechanism: 'scram-sha-512', ...listener.scram },
        logLevel: logLevel.NOTHING,
      }).producer({ allowAutoTopicCreation: true });
      await producer.connect();
      try {
        await producer.send({
          topic: rig.topics.licenses,
          acks: -1,
          messages: [{ key: 'lic-1', value: JSON.stringify(event) }],
        });
      } finally {
        await producer.disconnect();
      }

      const received = await rig.receiver.waitFor(
        (request) => request.path === '/over-tls',
        30_000,
      );
      expect(JSON.parse(received.rawBody)).toEqual(event);
      expect(() =>
        new Webhook(hook.secret).verify(
          received.rawBody,
          received.headers as Record<string, string>,
        ),
      ).not.toThrow();

      // The rig's own producer follows the apps' settings too (kafkaSecurityFromEnvironment).
      const second = platformEvent('license.created');
      await rig.publish(rig.topics.licenses, [{ value: JSON.stringify(second) }]);
      await rig.receiver.waitFor((request) => JSON.parse(request.rawBody).id === second.id, 30_000);
    });

    it('given the worker connected over TLS + SCRAM, when its readiness is asked, then Kafka is up and the password appears nowhere', async () => {
      let body = '';
      await eventually(async () => {
        const response = await fetch(`${rig.worker!.url}/health/ready`);
        body = await response.text();
        return response.status === 200;
      }, 'the worker to be ready');

      expect(JSON.parse(body).details.kafka.status).toBe('up');
      expect(body).not.toContain(listener.scram.password);
    });
  });

  it('given SCRAM-SHA-256 and PLAIN users, when the apps’ client options produce and consume over TLS, then both work', async () => {
    await roundTrip(productClient(appSettings(listener, 'scram-sha-256'), stateDir), 'scram-256');
    await roundTrip(productClient(appSettings(listener, 'plain'), stateDir), 'plain');
  });

  it('given the client certificate of the listener’s CA (mutual TLS), when the apps’ client connects with it, then it works', async () => {
    const settings = appSettings(listener, 'scram-sha-512', {
      KAFKA_SSL_CERT_FILE: listener.certFile,
      KAFKA_SSL_KEY_FILE: listener.keyFile,
    });

    await roundTrip(productClient(settings, stateDir), 'mtls');
  });

  it('given a client certificate from another CA, when a client connects with it, then the TLS handshake is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-tls-stranger-'));
    try {
      execFileSync(
        'openssl',
        [
          ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
          ...['-days', '1', '-subj', '/CN=stranger'],
          ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
        ],
        { stdio: 'ignore' },
      );
      const settings = appSettings(listener, 'scram-sha-512', {
        KAFKA_SSL_CERT_FILE: join(dir, 'cert.pem'),
        KAFKA_SSL_KEY_FILE: join(dir, 'key.pem'),
      });

      const error = await refusal(productClient(settings, stateDir));

      expect(error.name).not.toBe('KafkaJSSASLAuthenticationError');
      expect(error.message).toMatch(/closed|ECONNRESET|certificate|alert|socket/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('given a wrong password, when the apps’ client connects, then the broker refuses it with a SASL authentication error, and neither its log nor readiness shows the password', async () => {
    const wrong = `wrong-${randomBytes(12).toString('hex')}`;
    const options = productClient(
      appSettings(listener, 'scram-sha-512', { KAFKA_SASL_PASSWORD: wrong }),
      stateDir,
    );
    const logged: string[] = [];
    const spies = (['log', 'warn', 'error', 'debug'] as const).map((level) =>
      jest
        .spyOn(Logger.prototype, level)
        .mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' '))),
    );
    try {
      // The apps' own client: their log creator, so their log lines are the ones checked.
      const admin = new Kafka({ ...options, logLevel: logLevel.ERROR }).admin();
      const error = await admin.connect().then(
        () => new Error('the broker accepted a wrong password'),
        (failure: Error) => failure,
      );
      expect(error.name).toBe('KafkaJSSASLAuthenticationError');
      expect(error.message).toMatch(
        /SASL SCRAM SHA512 authentication failed: .*invalid credentials/,
      );

      await admin.disconnect().catch(() => undefined);

      // What /health/ready reports for an app with this password (its first probe, a fresh admin).
      const probe = new Kafka({ ...options, logLevel: logLevel.ERROR }).admin();
      const readiness = await new KafkaHealthIndicator(probe, new HealthIndicatorService()).check();
      await probe.disconnect().catch(() => undefined);
      expect(readiness.kafka.status).toBe('down');
      expect(String(readiness.kafka.message)).toMatch(/authentication failed/);
      expect(JSON.stringify(readiness)).not.toContain(wrong);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(logged.join('\n')).toMatch(/authentication failed/);
    expect(logged.join('\n')).not.toContain(wrong);
  });

  it('given a wrong PLAIN password, when a client connects, then it is refused with a SASL authentication error', async () => {
    const error = await refusal(
      productClient(
        appSettings(listener, 'plain', { KAFKA_SASL_PASSWORD: 'not-the-password' }),
        stateDir,
      ),
    );

    expect(error.name).toBe('KafkaJSSASLAuthenticationError');
    expect(error.message).toMatch(/SASL PLAIN authentication failed/);
  });

  it('given no TLS, when a client speaks plain TCP to the TLS port, then it gets no answer', async () => {
    const error = await refusal(
      productClient(
        appSettings(listener, 'scram-sha-512', { KAFKA_SSL: 'false', KAFKA_SSL_CA_FILE: '' }),
        stateDir,
      ),
    );

    expect(error.name).not.toBe('KafkaJSSASLAuthenticationError');
    expect(error.message).toMatch(/Closed connection|ECONNRESET|timeout/i);
  });

  it('given TLS without the listener’s CA, when a client connects, then it does not trust the broker', async () => {
    const error = await refusal(
      productClient(appSettings(listener, 'scram-sha-512', { KAFKA_SSL_CA_FILE: '' }), stateDir),
    );

    expect(error.message).toMatch(/self-signed certificate|unable to verify|certificate/i);
  });

  it('given TLS but no SASL, when a client connects, then the broker closes the connection', async () => {
    const error = await refusal(
      productClient(
        {
          KAFKA_BROKERS: listener.brokers,
          KAFKA_SSL: 'true',
          KAFKA_SSL_CA_FILE: listener.caFile,
        },
        stateDir,
      ),
    );

    expect(error.message).toMatch(/Closed connection|ECONNRESET/i);
  });
});
