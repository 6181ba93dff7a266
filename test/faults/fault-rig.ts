import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { signAccessToken } from '@app/platform';
import {
  ensureAppsBuilt,
  freePort,
  startApp,
  type AppProcess,
} from '../../bench/support/app-processes';
import {
  startReceiver,
  type ReceivedRequest,
  type Receiver,
  type Responder,
} from '../support/receiver';
import { exampleData } from '../support/event-data';

const JWT_SECRET = 'fault-suite-signing-key-that-is-long-enough-0123456789';

export interface FaultRigOptions {
  /** Names the database, topics and group of the run. */
  label: string;
  /** The servers to run on (default: the shared ones the test tier started). */
  servers?: { mongodbUri: string; kafkaBrokers: string };
  /** Partitions of each platform topic. */
  partitions?: number;
  /** Extra environment for every app process. */
  env?: Record<string, string>;
  /** More names the receiver's certificate is valid for (webhooks reached through a test DNS). */
  receiverHostnames?: string[];
}

export interface Webhook {
  id: string;
  path: string;
}

/** One event published for one webhook: what the ledger accounts for. */
export interface Pair {
  eventId: string;
  webhook: Webhook;
}

/** A platform event as a producer publishes it. */
export interface PublishedEvent {
  id: string;
  type: string;
  environment: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/**
 * The whole product as an operator runs it, for fault tests: the built api and worker as child
 * processes (as many as the test starts), on a database and topics of the run's own, a real HTTPS
 * receiver in this process, and a Kafka producer. Everything is observed from outside, through
 * the admin API, the receiver and Kafka, as an operator would.
 */
export class FaultRig {
  readonly apis: AppProcess[] = [];
  readonly workers: AppProcess[] = [];
  /** 2xx answers given per `<webhook-id>|<path>`: more than one is a duplicate delivery. */
  private readonly accepted = new Map<string, number>();
  private constructor(
    readonly env: Record<string, string>,
    readonly receiver: Receiver,
    readonly topic: string,
    readonly deadLetterTopic: string,
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly admin: Admin,
    private readonly databaseUri: string,
    private readonly stateDir: string,
  ) {}

  static async start(options: FaultRigOptions): Promise<FaultRig> {
    ensureAppsBuilt();
    const servers = options.servers ?? {
      mongodbUri: required('MONGODB_URI'),
      kafkaBrokers: required('KAFKA_BROKERS'),
    };
    const suffix = `${options.label}-${randomBytes(4).toString('hex')}`;
    const topic = `faults.${suffix}.licenses`;
    const deadLetterTopic = `faults.${suffix}.dead-letter`;
    const url = new URL(servers.mongodbUri);
    url.pathname = `/faults_${suffix.replace(/[^a-z0-9]/gi, '_')}`;
    const databaseUri = url.toString();
    const receiver = await startReceiver({ https: true, hostnames: options.receiverHostnames });
    const stateDir = mkdtempSync(join(tmpdir(), `faults-${options.label}-`));
    const caFile = join(stateDir, 'receiver-ca.pem');
    writeFileSync(caFile, receiver.caPem ?? '');
    const env: Record<string, string> = {
      MONGODB_URI: databaseUri,
      KAFKA_BROKERS: servers.kafkaBrokers,
      KAFKA_TOPICS: topic,
      KAFKA_DEAD_LETTER_TOPIC: deadLetterTopic,
      KAFKA_CONSUMER_GROUP: `faults-${suffix}`,
      AUTH_JWT_SECRET: JWT_SECRET,
      SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      DELIVERY_ALLOWED_CIDRS: '127.0.0.1/32',
      DELIVERY_TLS_CA_FILE: caFile,
      DELIVERY_TIMEOUT_MS: '5000',
      DELIVERY_QUEUE_POLL_INTERVAL_MS: '200',
      PROJECTION_POLL_INTERVAL_MS: '100',
      SHUTDOWN_GRACE_MS: '15000',
      LOCAL_STATE_DIR: stateDir,
      LOG_LEVEL: 'warn',
      ...options.env,
    };
    const kafka = new Kafka({
      clientId: `faults-${suffix}`,
      brokers: servers.kafkaBrokers.split(','),
      logLevel: logLevel.NOTHING,
      retry: { retries: 20, initialRetryTime: 200 },
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic, numPartitions: options.partitions ?? 3 },
        { topic: deadLetterTopic, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const rig = new FaultRig(
      env,
      receiver,
      topic,
      deadLetterTopic,
      kafka,
      producer,
      admin,
      databaseUri,
      stateDir,
    );
    rig.respond(() => ({ status: 200, body: 'ok' }));
    return rig;
  }

  /** How the receiver answers from now on; 2xx answers are counted for the ledger. */
  respond(responder: Responder): void {
    this.receiver.respond((request: ReceivedRequest) => {
      const answer = responder(request);
      if (answer !== 'hang' && answer.status >= 200 && answer.status < 300) {
        const key = `${String(request.headers['webhook-id'])}|${request.path}`;
        this.accepted.set(key, (this.accepted.get(key) ?? 0) + 1);
      }
      return answer;
    });
  }

  async startApi(env: Record<string, string> = {}): Promise<AppProcess> {
    const port = await freePort();
    const api = await startApp('api', { ...this.env, ...env, PORT: String(port) }, port);
    this.apis.push(api);
    return api;
  }

  async startWorker(env: Record<string, string> = {}): Promise<AppProcess> {
    const port = await freePort();
    const worker = await startApp(
      'worker',
      { ...this.env, ...env, WORKER_HEALTH_PORT: String(port) },
      port,
      { timeoutMs: 120_000 },
    );
    this.workers.push(worker);
    return worker;
  }

  /** The bearer token header of an owner, for calls made to one api in particular. */
  authorization(): Promise<Record<string, string>> {
    return Promise.resolve({
      authorization: `Bearer ${signAccessToken(JWT_SECRET, { id: 'fault-suite', role: 'owner' }, 3600)}`,
    });
  }

  /** Calls the admin API of the first api still running, as an owner. */
  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of many shapes
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const api = await this.liveApi();
    const response = await fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${signAccessToken(JWT_SECRET, { id: 'fault-suite', role: 'owner' }, 3600)}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? JSON.parse(text) : undefined,
      headers: response.headers,
    };
  }

  async setRetryPolicy(retryIntervalsSeconds: number[]): Promise<void> {
    const { status, body } = await this.call('PUT', '/settings/retry-policy', {
      retryIntervalsSeconds,
      jitter: 0,
    });
    if (status !== 200) throw new Error(`retry policy: ${status} ${JSON.stringify(body)}`);
  }

  /**
   * A webhook at `path` of the receiver (`host` instead of 127.0.0.1: a name the worker resolves
   * through DELIVERY_DNS_SERVERS).
   */
  async createWebhook(
    name: string,
    path: string,
    eventTypes: string[] = ['license.created'],
    host?: string,
  ): Promise<Webhook> {
    const base = host ? `https://${host}:${this.receiver.port}` : this.receiver.url;
    const { status, body } = await this.call('POST', '/webhooks', {
      name,
      url: `${base}${path}`,
      environment: 'production',
      eventTypes,
    });
    if (status !== 201) throw new Error(`create webhook: ${status} ${JSON.stringify(body)}`);
    return { id: body.id, path };
  }

  /** Waits until every running worker's index knows these webhooks (a test event reaches them). */
  async whenWorkersKnow(webhooks: Webhook[]): Promise<void> {
    const probes = await Promise.all(
      webhooks.map(
        async (webhook) =>
          (await this.call('POST', `/webhooks/${webhook.id}/test`)).body.eventId as string,
      ),
    );
    await Promise.all(
      probes.map((eventId) =>
        this.receiver.waitFor((request) => request.headers['webhook-id'] === eventId, 60_000),
      ),
    );
  }

  events(count: number): PublishedEvent[] {
    return Array.from({ length: count }, (_, n) => ({
      id: `evt_${randomBytes(8).toString('hex')}`,
      type: 'license.created',
      environment: 'production',
      occurredAt: new Date().toISOString(),
      data: exampleData('license.created', `LIC-${n}`),
    }));
  }

  async publish(events: PublishedEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += 500) {
      await this.producer.send({
        topic: this.topic,
        acks: -1,
        messages: events
          .slice(start, start + 500)
          .map((event) => ({ key: event.id, value: JSON.stringify(event) })),
      });
    }
  }

  /** Publishes raw message values (for bad input), keyed for spread. */
  async publishRaw(values: Array<string | Buffer>): Promise<void> {
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: values.map((value, n) => ({ key: `raw-${n}`, value })),
    });
  }

  /** Every message of the dead-letter topic so far, with its reason header. */
  async deadLetters(
    expected: number,
    timeoutMs = 60_000,
  ): Promise<Array<{ reason: string; value: string }>> {
    const consumer = this.kafka.consumer({
      groupId: `dlq-reader-${randomBytes(4).toString('hex')}`,
    });
    const letters: Array<{ reason: string; value: string }> = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [this.deadLetterTopic], fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${letters.length} of ${expected} dead letters`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: ({ message }) => {
          letters.push({
            reason: message.headers?.['x-dead-letter-reason']?.toString() ?? '',
            value: message.value?.toString() ?? '',
          });
          if (letters.length >= expected) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
    try {
      await done;
    } finally {
      await consumer.disconnect();
    }
    return letters;
  }

  pairs(events: PublishedEvent[], webhooks: Webhook[]): Pair[] {
    return events.flatMap((event) => webhooks.map((webhook) => ({ eventId: event.id, webhook })));
  }

  /** Where every pair stands now, as the receiver and the admin API tell it. */
  async ledger(pairs: Pair[]): Promise<Ledger> {
    const recorded = new Map<
      string,
      { status: string; failureReason: string | null; attemptCount: number }
    >();
    for (const webhook of uniqueWebhooks(pairs)) {
      let cursor: string | null = null;
      do {
        const query: string = `webhookId=${webhook.id}&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
        const { status, body } = await this.call('GET', `/deliveries?${query}`);
        if (status !== 200) throw new Error(`list deliveries: ${status} ${JSON.stringify(body)}`);
        for (const item of body.items) recorded.set(`${item.eventId}|${webhook.id}`, item);
        cursor = body.nextCursor;
      } while (cursor);
    }
    const received = new Map<string, number>();
    for (const request of this.receiver.requests) {
      const key = `${String(request.headers['webhook-id'])}|${request.path}`;
      received.set(key, (received.get(key) ?? 0) + 1);
    }
    const ledger: Ledger = {
      published: pairs.length,
      delivered: 0,
      failed: 0,
      missing: 0,
      duplicates: 0,
      receivedNotRecorded: 0,
      outstanding: 0,
      requests: 0,
      attemptsRecorded: 0,
    };
    for (const pair of pairs) {
      const record = recorded.get(`${pair.eventId}|${pair.webhook.id}`);
      const requests = received.get(`${pair.eventId}|${pair.webhook.path}`) ?? 0;
      const accepted = this.accepted.get(`${pair.eventId}|${pair.webhook.path}`) ?? 0;
      ledger.duplicates += Math.max(0, accepted - 1);
      ledger.requests += requests;
      ledger.attemptsRecorded += record?.attemptCount ?? 0;
      if (record?.status === 'succeeded' && requests > 0) ledger.delivered++;
      else if (record?.status === 'failed' && record.failureReason) ledger.failed++;
      else {
        ledger.missing++;
        if (record) ledger.outstanding++;
        else if (requests > 0) ledger.receivedNotRecorded++;
      }
    }
    return ledger;
  }

  /** Waits until nothing is missing; resolves with the ledger and how long it took. */
  async ledgerClosed(
    pairs: Pair[],
    timeoutMs: number,
  ): Promise<{ ledger: Ledger; afterMs: number }> {
    const started = Date.now();
    let ledger = await this.ledger(pairs);
    while (ledger.missing > 0) {
      if (Date.now() - started > timeoutMs) {
        throw new Error(
          `the ledger did not close within ${timeoutMs} ms: ${JSON.stringify(ledger)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      ledger = await this.ledger(pairs);
    }
    return { ledger, afterMs: Date.now() - started };
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers, ...this.apis].map((app) => app.stop(5000)));
    await this.producer.disconnect().catch(() => undefined);
    await this.admin
      .deleteTopics({ topics: [this.topic, this.deadLetterTopic], timeout: 10_000 })
      .catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
    await this.receiver.close();
    const client = new MongoClient(this.databaseUri, { serverSelectionTimeoutMS: 10_000 });
    await client
      .db()
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  private async liveApi(): Promise<AppProcess> {
    for (const api of this.apis) {
      const alive = await fetch(`${api.url}/health/live`, { signal: AbortSignal.timeout(2000) })
        .then((response) => response.ok)
        .catch(() => false);
      if (alive) return api;
    }
    throw new Error('no api is running');
  }
}

/** published = delivered + failed (with a reason) + missing; a closed ledger has missing 0. */
export interface Ledger {
  published: number;
  /** Received by the endpoint and recorded succeeded. */
  delivered: number;
  /** Recorded failed, with the reason. */
  failed: number;
  missing: number;
  /** Deliveries the endpoint accepted (2xx) beyond the first per pair: at-least-once repeats. */
  duplicates: number;
  /** Of the missing: received by the endpoint, but with no record at all. */
  receivedNotRecorded: number;
  /** Of the missing: recorded, still pending or retrying. */
  outstanding: number;
  /** Requests the endpoint received for these pairs, and attempts recorded for them. */
  requests: number;
  attemptsRecorded: number;
}

function uniqueWebhooks(pairs: Pair[]): Webhook[] {
  return [...new Map(pairs.map((pair) => [pair.webhook.id, pair.webhook])).values()];
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the fault suite through jest`);
  return value;
}

/** One line of figures per scenario, for the note and the CI log. */
export function report(scenario: string, figures: Record<string, string | number>): void {
  const line = Object.entries(figures)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');
  process.stdout.write(`[fault] ${scenario}: ${line}\n`);
}
