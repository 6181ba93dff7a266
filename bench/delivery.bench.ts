/**
 * Delivery benchmark: platform events in through Kafka, webhooks out over HTTP, end to end.
 *
 *   npm run bench:delivery                                   # 50 webhooks, 20 events/s, 60 s
 *   npm run bench:delivery -- --rate 5                       # a lower rate
 *   npm run bench:delivery -- --webhooks 50 --rate 20 --seconds 60 --partitions 6 --wait 120 --hosts 5
 *   npm run bench:delivery -- --rate 60 --workers 2             # two worker processes, one group
 *   MONGODB_URI=mongodb://host:27017 KAFKA_BROKERS=host:9092 npm run bench:delivery
 *
 * Builds first when dist/apps/{api,worker}/main.js is missing or older than a source it is built
 * from (`npm run build`, both apps). Then, against a fresh, uniquely named database (dropped at
 * the end, also on failure/Ctrl-C) and the five platform topics, a dead-letter topic and a
 * consumer group unique to the run (deleted at the end; the topics made here with --partitions
 * partitions each, before the worker starts):
 *   1. starts a receiver in this process: plain node:http on --hosts loopback addresses
 *      (127.0.0.1, 127.0.0.2, ...: receiving hosts, as a service's webhooks point at several
 *      customers' servers, each with the worker's per-host concurrency), keep-alive, 204 at once,
 *      noting each request's `webhook-id` (the event id), path (`/w/<n>`: one per webhook) and
 *      arrival time;
 *   2. starts the built api (`node dist/apps/api/main.js`) as a child process and creates
 *      --webhooks webhooks through POST /api/v1/webhooks as an admin: production,
 *      `license.created`, `http://127.0.0.<host>:<receiver>/w/<n>` (webhook n on host n mod --hosts);
 *   3. starts --workers built workers (as `npm run start:worker` runs it; one consumer group)
 *      with the same keys, once the webhooks exist (so their subscription index holds all of them
 *      when they start consuming), waits for each one's GET /health, then publishes one warm-up
 *      event to each partition and waits for all of their receipts: every consumer has joined the
 *      group and every webhook is matched;
 *   4. publishes `license.created` events to the licenses topic for --seconds at --rate events/s,
 *      keyed by sequence number (spread over the partitions), sent in batches every 50 ms, each
 *      event's publish time kept here;
 *   5. waits until every (event, webhook) pair has been received, or --wait seconds after the
 *      last publish.
 * Prints the deliveries expected and received (unique pairs), duplicates, deliveries/s while
 * publishing and over the whole run, event-to-receipt latency (receipt time minus the event's
 * publish time, both on this process's monotonic clock), the backlog when publishing ended, and
 * CPU time of the worker, the api, this process and the local servers (Linux /proc).
 * Exits 1 if fewer deliveries were received than expected.
 *
 * `--expired <n>` first seeds n finished deliveries created 31 days ago (past the default 30-day
 * DELIVERY_RETENTION_DAYS: summaries, attempts and one event per 10), so that the worker's pruner
 * (first pass 30 s after the worker starts) deletes them while the run goes on; it then prints how
 * many expired records were pruned while publishing and by the end (the worker's
 * webhook_delivery_records_pruned_total), and skips the record counts the seeds would spoil. With
 * `--seconds` long enough (e.g. `--rate 20 --seconds 420 --expired 1000000`) it measures delivery
 * latency while retention prunes a million deliveries.
 *
 * `--payload <bytes>` pads each event's data to about that many bytes of JSON (a `notes` text),
 * so the bytes stored per delivery show what one copy of the body per event saves over one per
 * delivery.
 *
 * The apps get WEBHOOKS_ALLOW_HTTP=true, DELIVERY_ALLOWED_CIDRS=<the receiver's addresses>/32, LOG_LEVEL=warn and
 * fresh AUTH_JWT_SECRET / SECRETS_ENCRYPTION_KEY; other settings (DELIVERY_CONCURRENCY, ...) are
 * taken from this process's environment when set, else the apps' defaults.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Connection } from 'mongoose';
import { signAccessToken } from '@app/platform';
import { EVENT_DATA_SCHEMAS } from '@app/platform-events';
import {
  DELIVERIES_COLLECTION,
  DELIVERY_QUEUE_COLLECTION,
  ensureDeliveryIndexes,
} from '@app/deliveries';
import {
  type AppProcess,
  ensureAppsBuilt,
  freePort,
  killAppProcesses,
  startApp,
  startedLine,
} from './support/app-processes';
import {
  type BenchKafka,
  type BenchTopics,
  benchTopics,
  connectKafka,
  createBenchTopics,
} from './support/bench-kafka';
import {
  connect,
  describeServer,
  serverLine,
  dropAndClose,
  uniqueDatabaseName,
  uriHosts,
  benchAppSettings,
} from './support/database';
import {
  type DeliveryReceiver,
  type Receipt,
  startDeliveryReceiver,
} from './support/delivery-receiver';
import { benchWebhookIds, DeliveryHistory } from './support/delivery-history';
import { ApiClient, runPool, UnexpectedResponseError } from './support/http-client';
import { resolveServers } from './support/infra';
import {
  cpuSeconds,
  groupCpuBetween,
  type GroupSnapshot,
  localServerGroups,
  type ProcessGroup,
  snapshotGroups,
} from './support/process-cpu';
import { formatCount, formatMs, formatSeconds, perSecond, summarize } from './support/stats';
import { type StoredBytes, storedBytes } from './support/stored-bytes';

interface NumericFlags {
  webhooks: number;
  seconds: number;
  rate: number;
  partitions: number;
  wait: number;
  hosts: number;
  expired: number;
  workers: number;
  /** Bytes of JSON each event's data is padded to (0: the type's example as it is). */
  payload: number;
}

interface Flags extends NumericFlags {
  /** A directory for a V8 CPU profile of the worker (`node --cpu-prof`), written when it stops. */
  profileWorker?: string;
}

const DEFAULTS: NumericFlags = {
  webhooks: 50,
  seconds: 60,
  rate: 20,
  partitions: 6,
  wait: 120,
  hosts: 5,
  expired: 0,
  workers: 1,
  payload: 0,
};
const USAGE =
  'usage: npm run bench:delivery -- [--webhooks 50] [--seconds 60] [--rate 20 (events/s)] ' +
  '[--partitions 6] [--wait 120 (s after the last publish)] ' +
  '[--hosts 5 (receiving hosts, 127.0.0.1-n, webhooks spread over them)] ' +
  '[--expired 0 (finished deliveries past retention, seeded for the worker to prune meanwhile)] ' +
  '[--workers 1 (worker processes, one consumer group)] ' +
  "[--payload 0 (bytes of JSON each event's data is padded to; 0: the example as it is)] " +
  '[--profile-worker <dir> (the first worker)]';

/** How often the publisher sends what has come due. */
const SEND_EVERY_MS = 50;
/** Progress lines while publishing and draining. */
const PROGRESS_EVERY_MS = 10_000;
/** Webhooks created at once through the api. */
const CREATE_CONCURRENCY = 4;
/** How long the warm-up event may take to reach every webhook (the consumer joins its group). */
const WARM_UP_TIMEOUT_MS = 90_000;
const EVENT_TYPE = 'license.created';
const BENCH_DATA = EVENT_DATA_SCHEMAS[EVENT_TYPE].example;

function parseFlags(argv: readonly string[]): Flags {
  const flags: Flags = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const match = /^--([\w-]+)(?:=(.*))?$/.exec(arg);
    if (match?.[1] === 'profile-worker') {
      flags.profileWorker = match[2] ?? argv[++i];
      if (!flags.profileWorker) throw new Error(`--profile-worker needs a directory\n${USAGE}`);
      continue;
    }
    const name = match?.[1] as keyof NumericFlags | undefined;
    if (!match || !name || !(name in DEFAULTS))
      throw new Error(`unknown argument "${arg}"\n${USAGE}`);
    const raw = match[2] ?? argv[++i];
    const value = Number(raw);
    const integer = name !== 'rate';
    if (
      raw === undefined ||
      !Number.isFinite(value) ||
      value < 0 ||
      (value === 0 && name !== 'expired' && name !== 'payload') ||
      (name === 'hosts' && value > 254) ||
      (integer && !Number.isInteger(value))
    ) {
      throw new Error(
        `--${name} must be a positive ${integer ? 'integer' : 'number'} (got "${raw}")`,
      );
    }
    flags[name] = value;
  }
  return flags;
}

function step(label: string): void {
  console.log(`${new Date().toISOString().slice(11, 19)}  ${label}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once `condition` holds (checked every 50 ms), or with false after `timeoutMs`. */
async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

interface TrackedEvent {
  publishedAtMs: number;
  /** Receipts per webhook (index n - 1 for path /w/<n>), saturating at 255. */
  receipts: Uint8Array;
}

/** Matches receipts to (event, webhook) pairs; everything in performance.now() milliseconds. */
class DeliveryTracker {
  private readonly events = new Map<string, TrackedEvent>();
  /** Unique (event, webhook) pairs received. */
  received = 0;
  /** Receipts of a pair already received. */
  duplicates = 0;
  /** Requests for no published event or no known webhook path. */
  unexpected = 0;
  /** One per unique pair: receipt time minus the event's publish time. */
  readonly latenciesMs: number[] = [];
  firstReceiptMs = Number.NaN;
  lastReceiptMs = Number.NaN;

  constructor(private readonly webhooks: number) {}

  published(eventId: string, atMs: number): void {
    this.events.set(eventId, { publishedAtMs: atMs, receipts: new Uint8Array(this.webhooks) });
  }

  receive(receipt: Receipt): void {
    const event = this.events.get(receipt.webhookId);
    const match = /^\/w\/(\d+)$/.exec(receipt.path);
    const webhook = match ? Number(match[1]) - 1 : -1;
    if (!event || webhook < 0 || webhook >= this.webhooks) {
      this.unexpected++;
      return;
    }
    const before = event.receipts[webhook];
    if (before < 255) event.receipts[webhook] = before + 1;
    if (before > 0) {
      this.duplicates++;
      return;
    }
    this.received++;
    this.latenciesMs.push(receipt.atMs - event.publishedAtMs);
    if (Number.isNaN(this.firstReceiptMs)) this.firstReceiptMs = receipt.atMs;
    this.lastReceiptMs = receipt.atMs;
  }

  /** Pairs of `eventId` received (for the warm-up). */
  receivedOf(eventId: string): number {
    const event = this.events.get(eventId);
    return event ? event.receipts.reduce((sum, count) => sum + (count > 0 ? 1 : 0), 0) : 0;
  }

  /** Forgets everything received so far (after the warm-up). */
  reset(): void {
    this.events.clear();
    this.received = 0;
    this.duplicates = 0;
    this.unexpected = 0;
    this.latenciesMs.length = 0;
    this.firstReceiptMs = Number.NaN;
    this.lastReceiptMs = Number.NaN;
  }
}

/**
 * The example's data, padded with a `notes` text (the schema allows more fields) to about
 * `bytes` of JSON, as a platform that sends the license's customer and entitlements would. The
 * text is random hex, which PostgreSQL's compression of large values cannot shrink: the bytes
 * stored are an upper bound for real bodies, which compress.
 */
function benchData(bytes: number): Record<string, unknown> {
  const base = JSON.stringify({ ...BENCH_DATA, seq: 0 }).length;
  const room = bytes - base - ',"notes":""'.length;
  if (room <= 0) return BENCH_DATA;
  return {
    ...BENCH_DATA,
    notes: randomBytes(Math.ceil(room / 2))
      .toString('hex')
      .slice(0, room),
  };
}

function platformEvent(id: string, seq: number, data: Record<string, unknown>): string {
  return JSON.stringify({
    id,
    type: EVENT_TYPE,
    environment: 'production',
    occurredAt: new Date().toISOString(),
    // Valid for the type's schema (the worker checks it), told apart by `seq`.
    data: { ...data, seq },
  });
}

interface PublishRun {
  events: number;
  startMs: number;
  endMs: number;
  sends: number;
  /** The longest producer.send (a batch), to tell whether the producer kept up. */
  maxSendMs: number;
}

/**
 * Publishes `rate × seconds` events on a fixed schedule: every SEND_EVERY_MS, whatever has come
 * due since the start goes out in one producer.send (so a slow send is caught up, not lost).
 */
async function publish(
  kafka: BenchKafka,
  topic: string,
  flags: Flags,
  data: Record<string, unknown>,
  tracker: DeliveryTracker,
  onProgress: (published: number) => void,
): Promise<PublishRun> {
  const total = Math.round(flags.rate * flags.seconds);
  const startMs = performance.now();
  let seq = 0;
  let sends = 0;
  let maxSendMs = 0;
  let nextProgress = startMs + PROGRESS_EVERY_MS;
  while (seq < total) {
    const now = performance.now();
    const due = Math.min(total, Math.ceil((flags.rate * (now - startMs)) / 1000));
    if (due > seq) {
      const messages: { key: string; value: string }[] = [];
      const atMs = performance.now();
      for (; seq < due;) {
        seq++;
        const id = `evt_${seq}`;
        tracker.published(id, atMs);
        messages.push({ key: String(seq), value: platformEvent(id, seq, data) });
      }
      await kafka.producer.send({ topic, acks: -1, messages });
      maxSendMs = Math.max(maxSendMs, performance.now() - atMs);
      sends++;
    }
    if (performance.now() >= nextProgress) {
      onProgress(seq);
      nextProgress += PROGRESS_EVERY_MS;
    }
    if (seq < total) {
      const elapsed = performance.now() - startMs;
      await sleep(Math.max(0, SEND_EVERY_MS - (elapsed % SEND_EVERY_MS)));
    }
  }
  return { events: total, startMs, endMs: performance.now(), sends, maxSendMs };
}

/** How long the worker's records may take to catch up with the receipts. */
const RECORDS_WAIT_MS = 60_000;

interface Records {
  history: number;
  queue: number;
  wanted: number;
  elapsedMs: number;
  /** The last history count's own time (a count scans the collection on FerretDB). */
  countMs: number;
}

/** Counts delivery history until it holds `wanted`, stops growing, or RECORDS_WAIT_MS pass. */
async function countRecords(connection: Connection, wanted: number): Promise<Records> {
  const db = connection.db!;
  const started = performance.now();
  const count = (name: string) =>
    db
      .collection(name)
      .countDocuments({}, { maxTimeMS: RECORDS_WAIT_MS })
      .catch(() => Number.NaN);
  let history = Number.NaN;
  let countMs = Number.NaN;
  // The last batches' inserts land within moments of the last receipt; a count of a large
  // collection takes long on FerretDB, so give them that moment rather than count twice.
  await sleep(2000);
  for (;;) {
    const before = history;
    const countStarted = performance.now();
    history = await count(DELIVERIES_COLLECTION);
    countMs = performance.now() - countStarted;
    if (!(history < wanted) || history === before) break;
    if (performance.now() - started >= RECORDS_WAIT_MS) break;
    await sleep(1000);
  }
  const queue = await count(DELIVERY_QUEUE_COLLECTION);
  return { history, queue, wanted, elapsedMs: performance.now() - started, countMs };
}

const DAY_MS = 86_400_000;
/** Deliveries per seeded event (the fan-out of the expired history). */
const EXPIRED_FAN_OUT = 10;

/**
 * Seeds `count` finished deliveries created 31 days ago (past the default 30-day retention), as
 * the worker records them. Returns the records written: summaries, attempts and events.
 */
async function seedExpired(connection: Connection, count: number): Promise<number> {
  if (count === 0) return 0;
  step(`seeding ${formatCount(count)} finished deliveries 31 days old, for retention to prune`);
  await ensureDeliveryIndexes(connection);
  const history = new DeliveryHistory(benchWebhookIds(1_000), EXPIRED_FAN_OUT);
  await history.seed(connection, 0, count, Date.now() - 31 * DAY_MS, count);
  return 2 * count + Math.ceil(count / EXPIRED_FAN_OUT);
}

/** The worker's `webhook_delivery_records_pruned_total`, read from its /metrics. */
class PruneProgress {
  private last = 0;

  constructor(
    private readonly workerUrls: string[],
    private readonly enabled: boolean,
  ) {}

  line(): string {
    return this.enabled ? `, ${formatCount(this.last)} expired records pruned` : '';
  }

  /** Refreshes the figure `line` shows, in the background. */
  sample(): void {
    if (this.enabled) void this.read();
  }

  async read(): Promise<number> {
    if (!this.enabled) return 0;
    try {
      let pruned = 0;
      for (const url of this.workerUrls) {
        const text = await (await fetch(`${url}/metrics`)).text();
        pruned += Number(/^webhook_delivery_records_pruned_total (\d+)/m.exec(text)?.[1] ?? 0);
      }
      this.last = pruned;
    } catch {
      // The figure stays as last read.
    }
    return this.last;
  }
}

function recordRows(
  records: Records | undefined,
  stored: StoredBytes | undefined,
  warmUpDeliveries: number,
): [string, string][] {
  if (!records || !stored) {
    return [['worker records', 'not counted (the expired records share the collections)']];
  }
  return [
    [
      'worker records',
      `${formatCount(records.history)} of ${formatCount(records.wanted)} in delivery history ` +
        `(incl. the warm-up's ${formatCount(warmUpDeliveries)}), ${formatCount(records.queue)} in the delivery ` +
        `queue, ${formatSeconds(records.elapsedMs)} after the wait (one count took ` +
        `${formatMs(records.countMs)})`,
    ],
    [
      'bytes written',
      `${formatCount(stored.documentBytes / records.history)} B of documents per delivery (the ` +
        `BSON of what the ${stored.byCollection.length} delivery collections hold at the end, ` +
        `summed; versions a rewrite replaced and queue entries removed are not counted: ` +
        stored.byCollection
          .filter((c) => c.documentBytes > 0)
          .map((c) => `${c.name} ${formatCount(c.documentBytes / records.history)}`)
          .join(', ') +
        ')',
    ],
    [
      'bytes stored',
      `${formatCount(stored.tableBytes / records.history)} B of tables and ` +
        `${formatCount(stored.indexBytes / records.history)} B of indexes per delivery, as the ` +
        `database reports them (FerretDB: rewritten row versions included until vacuumed, values ` +
        `over about 2 kB left out)`,
    ],
  ];
}

function pruneRows(
  expired: number,
  seededRecords: number,
  whilePublishing: number,
  inAll: number,
  publishMs: number,
): [string, string][] {
  if (expired === 0) return [];
  return [
    [
      'retention',
      `${formatCount(seededRecords)} expired records seeded (${formatCount(expired)} deliveries, ` +
        `their attempts and events); the worker pruned ${formatCount(whilePublishing)} while ` +
        `publishing (${formatCount(perSecond(whilePublishing, publishMs))}/s over the ` +
        `${formatSeconds(publishMs)}, its first pass starting 30 s after the worker), ` +
        `${formatCount(inAll)} by the end`,
    ],
  ];
}

interface CpuMark {
  atMs: number;
  worker?: number;
  api?: number;
  bench: number;
  groups: GroupSnapshot;
}

function markCpu(workers: AppProcess[], api: AppProcess, servers: ProcessGroup[]): CpuMark {
  const usage = process.cpuUsage();
  const perWorker = workers.map((worker) => cpuSeconds(worker.pid));
  return {
    atMs: performance.now(),
    worker: perWorker.some((seconds) => seconds === undefined)
      ? undefined
      : perWorker.reduce<number>((sum, seconds) => sum + (seconds ?? 0), 0),
    api: cpuSeconds(api.pid),
    bench: (usage.user + usage.system) / 1e6,
    groups: snapshotGroups(servers),
  };
}

/** CPU use between two marks per process (group), as seconds and percent of one core. */
function cpuBetween(
  from: CpuMark,
  to: CpuMark,
  workers: number,
): { label: string; seconds: number }[] {
  const diff = (a?: number, b?: number) =>
    a === undefined || b === undefined ? Number.NaN : b - a;
  return [
    {
      label: workers > 1 ? `workers (node, ${workers} processes)` : 'worker (node)',
      seconds: diff(from.worker, to.worker),
    },
    { label: 'api (node)', seconds: diff(from.api, to.api) },
    { label: 'bench: producer + receiver', seconds: to.bench - from.bench },
    ...groupCpuBetween(from.groups, to.groups).map(({ label, seconds, processes }) => ({
      label: processes > 1 ? `${label} (${processes} processes)` : label,
      seconds: processes === 0 ? Number.NaN : seconds,
    })),
  ];
}

function cpuText(seconds: number, wallMs: number): string {
  if (!Number.isFinite(seconds)) return 'n/a';
  return `${seconds.toFixed(1)} s, ${((seconds * 100_000) / wallMs).toFixed(0)}% of a core`;
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const servers = resolveServers();
  const dbName = uniqueDatabaseName('bench_delivery');
  const suffix = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const topics: BenchTopics = benchTopics(`bench.delivery.${suffix}`);
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-delivery-'));
  const tracker = new DeliveryTracker(flags.webhooks);
  let connection: Connection | undefined;
  let kafka: BenchKafka | undefined;
  let receiver: DeliveryReceiver | undefined;
  let api: AppProcess | undefined;
  const workers: AppProcess[] = [];
  let topicsCreated = false;

  // Runs once, whichever comes first: the end of the run (success or failure) or Ctrl-C.
  let cleanup: Promise<void> | undefined;
  const cleanUp = (): Promise<void> =>
    (cleanup ??= (async () => {
      // The apps first, so nothing writes to the database or commits offsets while it all goes.
      await Promise.all([...workers.map((worker) => worker.stop()), api?.stop()]);
      killAppProcesses();
      await receiver?.close();
      rmSync(stateDir, { recursive: true, force: true });
      if (kafka) {
        const problems = topicsCreated ? await kafka.cleanUp(topics) : [];
        for (const problem of problems) console.error(`could not delete Kafka ${problem}`);
        await kafka.disconnect();
      }
      if (!connection) return;
      const dropped = await dropAndClose(connection);
      console.log(dropped ? `\ndatabase ${dbName} dropped` : `\ndatabase ${dbName} NOT dropped`);
    })());
  process.once('SIGINT', () => {
    console.error(`\ninterrupted: stopping the apps and dropping ${dbName}`);
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    const expectedTotal = Math.round(flags.rate * flags.seconds) * flags.webhooks;
    // One body for the run: every event carries the same padded data, told apart by `seq`.
    const data = benchData(flags.payload);
    console.log('delivery benchmark');
    console.log(`  database: ${uriHosts(servers.mongoUri)}, ${dbName} (fresh, dropped at the end)`);
    console.log(
      `  kafka:    ${servers.kafkaBrokers}, topics ${topics.platform[0].replace(/licenses$/, '*')} ` +
        `(${topics.platform.length} x ${flags.partitions} partitions), group ${topics.group}`,
    );
    console.log(
      `  settings: --webhooks ${flags.webhooks} --rate ${flags.rate} --seconds ${flags.seconds} ` +
        `--partitions ${flags.partitions} --wait ${flags.wait} --hosts ${flags.hosts} ` +
        `--expired ${flags.expired} --workers ${flags.workers} --payload ${flags.payload}: ` +
        `${formatCount(flags.rate * flags.webhooks)} deliveries/s wanted, ` +
        `${formatCount(expectedTotal)} in all`,
    );
    const delivery = [
      'DELIVERY_CONCURRENCY',
      'DELIVERY_CONCURRENCY_PER_ENDPOINT',
      'DELIVERY_CONCURRENCY_PER_HOST',
    ]
      .map((name) => `${name}=${process.env[name] ?? '(default)'}`)
      .join(' ');
    console.log(`  worker:   ${delivery}`);
    console.log(`  node:     ${process.version}, pid ${process.pid}`);

    const build = ensureAppsBuilt();
    connection = await connect(servers.mongoUri, dbName);
    kafka = await connectKafka(servers.kafkaBrokers, `bench-delivery-${suffix}`);
    await createBenchTopics(kafka.admin, topics, flags.partitions);
    topicsCreated = true;
    receiver = await startDeliveryReceiver((receipt) => tracker.receive(receipt), flags.hosts);

    const settings = benchAppSettings({ ...servers, dbName, stateDir });
    const jwtSecret = settings.jwtSecret;
    const [apiPort, workerPort] = [await freePort(), await freePort()];
    const env: Record<string, string> = {
      ...settings.env,
      KAFKA_TOPICS: topics.platform.join(','),
      KAFKA_DEAD_LETTER_TOPIC: topics.deadLetter,
      KAFKA_CONSUMER_GROUP: topics.group,
      WEBHOOKS_ALLOW_HTTP: 'true',
      DELIVERY_ALLOWED_CIDRS: receiver.urls.map((_, i) => `127.0.0.${i + 1}/32`).join(','),
      PORT: String(apiPort),
      WORKER_HEALTH_PORT: String(workerPort),
    };
    api = await startApp('api', env, apiPort);
    console.log(`  api:      ${startedLine(api, build)}`);
    // After the api's first writes: FerretDB names its backend only once used.
    const server = await describeServer(connection);
    console.log(`  server:   ${serverLine(server)}`);
    console.log(
      `  receiver: ${receiver.urls.join(', ')}, /w/<1..${flags.webhooks}> spread over them, ` +
        '204 at once, keep-alive',
    );
    const serverGroups = localServerGroups(uriHosts(servers.mongoUri), servers.kafkaBrokers);
    const notes = serverGroups.filter((group) => group.note).map((group) => group.note);
    console.log(
      `  cpu:      /proc of the apps, this process and the local servers on the ports above` +
        (notes.length > 0 ? ` (${notes.join('; ')})` : ''),
    );

    // Webhooks.
    step(`creating ${flags.webhooks} webhooks (production, ${EVENT_TYPE}) through the api`);
    const client = new ApiClient(api.url);
    const adminToken = signAccessToken(jwtSecret, { id: 'bench-admin', role: 'admin' }, 3600);
    const createStarted = performance.now();
    await runPool(
      flags.webhooks,
      CREATE_CONCURRENCY,
      async (index) => {
        await client.request('POST', '/webhooks', adminToken, {
          body: {
            name: `Bench receiver ${index + 1}`,
            url: `${receiver!.urls[index % receiver!.urls.length]}/w/${index + 1}`,
            environment: 'production',
            eventTypes: [EVENT_TYPE],
          },
          expect: 201,
        });
      },
      () => false,
    );
    step(`  created in ${formatSeconds(performance.now() - createStarted)}`);

    // Finished deliveries past retention (31 days old), for the worker's pruner to delete while
    // the run goes on: it starts its first pass 30 s after the worker.
    const expiredRecords = await seedExpired(connection, flags.expired);

    // The workers (one consumer group), and a warm-up through the whole path: one event per
    // partition, so that every worker has its partitions and has delivered before the run.
    const profileDir = flags.profileWorker && resolvePath(flags.profileWorker);
    for (let n = 0; n < flags.workers; n++) {
      const port = n === 0 ? workerPort : await freePort();
      const worker = await startApp('worker', { ...env, WORKER_HEALTH_PORT: String(port) }, port, {
        nodeArgs: n === 0 && profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
      });
      workers.push(worker);
      console.log(
        `  worker:   ${worker.url}/health, pid ${worker.pid}, healthy after ${formatSeconds(worker.startupMs)}`,
      );
    }
    if (profileDir) console.log(`  profile:  the first worker's CPU profile goes to ${profileDir}`);
    const warmUpIds = Array.from(
      { length: flags.partitions },
      () => `evt_warmup_${randomBytes(4).toString('hex')}`,
    );
    step(
      `warm-up: one event per partition, waiting for their ${formatCount(warmUpIds.length * flags.webhooks)} receipts`,
    );
    const warmUpStarted = performance.now();
    for (const id of warmUpIds) tracker.published(id, warmUpStarted);
    await kafka.producer.send({
      topic: topics.licenses,
      acks: -1,
      messages: warmUpIds.map((id, partition) => ({
        partition,
        value: platformEvent(id, 0, data),
      })),
    });
    const warmUpReceived = () =>
      warmUpIds.reduce((sum, id) => sum + Math.min(tracker.receivedOf(id), flags.webhooks), 0);
    const warmedUp = await waitUntil(
      () => warmUpReceived() >= warmUpIds.length * flags.webhooks,
      WARM_UP_TIMEOUT_MS,
    );
    if (!warmedUp) {
      throw new Error(
        `the warm-up events reached ${warmUpReceived()} of ${warmUpIds.length * flags.webhooks} ` +
          `(event, webhook) pairs within ${formatSeconds(WARM_UP_TIMEOUT_MS)}`,
      );
    }
    step(`  all receipts after ${formatSeconds(performance.now() - warmUpStarted)}`);
    await sleep(1000); // stragglers (duplicates) of the warm-up, then forget it
    tracker.reset();

    // Publishing.
    step(
      `publishing: ${flags.rate} events/s for ${flags.seconds} s to ${topics.licenses} ` +
        `(x ${flags.webhooks} webhooks = ${formatCount(flags.rate * flags.webhooks)} deliveries/s)`,
    );
    const pruned = new PruneProgress(
      workers.map((worker) => worker.url),
      flags.expired > 0,
    );
    // Each line also gives the latency of the receipts since the line before: where a tail is.
    let receiptsShown = 0;
    const progress = (published: number, sinceMs: number) => {
      const expected = published * flags.webhooks;
      const recent = summarize(tracker.latenciesMs.slice(receiptsShown));
      receiptsShown = tracker.latenciesMs.length;
      step(
        `  ${formatSeconds(performance.now() - sinceMs).padStart(8)}: ${formatCount(published)} ` +
          `events published, ${formatCount(tracker.received)} of ${formatCount(expected)} ` +
          `deliveries received, backlog ${formatCount(expected - tracker.received)}` +
          (Number.isNaN(recent.p99)
            ? ''
            : `; since the last line p99 ${formatMs(recent.p99)}, max ${formatMs(recent.max)}`) +
          pruned.line(),
      );
      pruned.sample();
    };
    const cpuStart = markCpu(workers, api, serverGroups);
    const publishStart = performance.now();
    const run = await publish(kafka, topics.licenses, flags, data, tracker, (published) =>
      progress(published, publishStart),
    );
    const receivedWhilePublishing = tracker.received;
    const cpuPublished = markCpu(workers, api, serverGroups);
    const prunedWhilePublishing = await pruned.read();
    const expected = run.events * flags.webhooks;
    step(
      `published ${formatCount(run.events)} events in ${formatSeconds(run.endMs - run.startMs)}; ` +
        `waiting up to ${flags.wait} s for the remaining ` +
        `${formatCount(expected - receivedWhilePublishing)} deliveries`,
    );

    // Draining.
    const drainDeadline = run.endMs + flags.wait * 1000;
    let nextProgress = performance.now() + PROGRESS_EVERY_MS;
    while (tracker.received < expected && performance.now() < drainDeadline) {
      await sleep(50);
      if (performance.now() >= nextProgress) {
        progress(run.events, run.startMs);
        nextProgress += PROGRESS_EVERY_MS;
      }
    }
    const complete = tracker.received >= expected;
    const cpuEnd = markCpu(workers, api, serverGroups);
    step(complete ? 'all deliveries received' : `gave up after ${flags.wait} s`);

    // What the worker recorded (its history and queue), for comparison with what arrived: the
    // history trails the receipts a little (batched inserts), so count until it is complete,
    // stops growing, or RECORDS_WAIT_MS have passed.
    const prunedInAll = await pruned.read();
    // Expired records share the collections until pruned: the counts would not be the run's.
    const records =
      flags.expired > 0
        ? undefined
        : (step("counting the worker's delivery records"),
          await countRecords(
            connection,
            (Math.round(flags.rate * flags.seconds) + flags.partitions) * flags.webhooks,
          ));
    const stored = records && (await storedBytes(connection));

    // Results.
    const publishMs = run.endMs - run.startMs;
    const lastReceiptMs = tracker.lastReceiptMs;
    const wholeMs = (Number.isNaN(lastReceiptMs) ? cpuEnd.atMs : lastReceiptMs) - run.startMs;
    const latency = summarize(tracker.latenciesMs);
    const rows: [string, string][] = [
      [
        'backend',
        `${server.product} at ${uriHosts(servers.mongoUri)}; Kafka ${servers.kafkaBrokers}`,
      ],
      [
        'webhooks',
        `${flags.webhooks} (production, ${EVENT_TYPE}, one path each, on ${flags.hosts} receiving hosts); ` +
          `each event ${formatCount(Buffer.byteLength(platformEvent('evt_0', 0, data)))} B`,
      ],
      [
        'events published',
        `${formatCount(run.events)} in ${formatSeconds(publishMs)} ` +
          `(${perSecond(run.events, publishMs).toFixed(1)}/s, target ${flags.rate}/s; ` +
          `${formatCount(run.sends)} sends, slowest ${formatMs(run.maxSendMs)})`,
      ],
      ['expected deliveries', formatCount(expected)],
      [
        'received',
        `${formatCount(tracker.received)} unique (event, webhook) pairs ` +
          `(${((tracker.received * 100) / expected).toFixed(2)}%), ` +
          `${formatCount(tracker.duplicates)} duplicates, ${formatCount(tracker.unexpected)} unexpected` +
          (complete ? '' : ` -- ${formatCount(expected - tracker.received)} MISSING`),
      ],
      [
        'deliveries/s',
        `${formatCount(perSecond(receivedWhilePublishing, publishMs))} while publishing ` +
          `(${formatCount(receivedWhilePublishing)} in ${formatSeconds(publishMs)}); ` +
          `${formatCount(perSecond(tracker.received, wholeMs))} over the whole run ` +
          `(first publish to last receipt, ${formatSeconds(wholeMs)}); ` +
          `target ${formatCount(flags.rate * flags.webhooks)}`,
      ],
      [
        'latency',
        `event publish to receipt: p50 ${formatMs(latency.p50)}, p95 ${formatMs(latency.p95)}, ` +
          `p99 ${formatMs(latency.p99)}, max ${formatMs(latency.max)}`,
      ],
      [
        'backlog',
        `${formatCount(expected - receivedWhilePublishing)} deliveries outstanding when publishing ` +
          `ended (${((100 * (expected - receivedWhilePublishing)) / expected).toFixed(1)}%); ` +
          (Number.isNaN(lastReceiptMs)
            ? 'nothing received'
            : `last receipt ${formatSeconds(lastReceiptMs - run.endMs)} after the last publish`),
      ],
      ...recordRows(records, stored, flags.partitions * flags.webhooks),
      ...pruneRows(flags.expired, expiredRecords, prunedWhilePublishing, prunedInAll, publishMs),
      ['receiver', `${formatCount(receiver.connections())} connections opened in all (keep-alive)`],
    ];
    const publishing = cpuBetween(cpuStart, cpuPublished, flags.workers);
    const whole = cpuBetween(cpuStart, cpuEnd, flags.workers);
    rows.push([
      'CPU',
      `while publishing (${formatSeconds(publishMs)}) | whole run ` +
        `(${formatSeconds(cpuEnd.atMs - cpuStart.atMs)}); 2 cores = 200%`,
    ]);
    for (const [index, entry] of publishing.entries()) {
      rows.push([
        `  ${entry.label}`,
        `${cpuText(entry.seconds, cpuPublished.atMs - cpuStart.atMs)} | ` +
          `${cpuText(whole[index].seconds, cpuEnd.atMs - cpuStart.atMs)}`,
      ]);
    }
    const width = Math.max(...rows.map(([label]) => label.length)) + 1;
    console.log('');
    console.log(
      `results (api + ${flags.workers > 1 ? `${flags.workers} workers` : 'worker'} as child processes, receiver and producer in this process, ` +
        `${flags.rate} events/s x ${flags.webhooks} webhooks for ${flags.seconds} s)`,
    );
    for (const [label, value] of rows) {
      console.log(`  ${(label ? `${label}:` : '').padEnd(width + 1)} ${value}`);
    }
    if (!complete) {
      process.exitCode = 1;
      console.log(
        `\nLOSS: ${formatCount(expected - tracker.received)} of ${formatCount(expected)} ` +
          `deliveries not received within ${flags.wait} s of the last publish`,
      );
    }
  } finally {
    await cleanUp();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    const detail =
      error instanceof UnexpectedResponseError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : error;
    console.error('benchmark failed:', detail);
    process.exit(1);
  },
);
