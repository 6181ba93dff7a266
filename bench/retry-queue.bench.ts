/**
 * Retry-queue benchmark: a large backlog of due retries for dead endpoints, and what it does to
 * everyone else.
 *
 *   npm run bench:retry-queue                                  # 100,000 due retries, 10 dead endpoints
 *   npm run bench:retry-queue -- --retries 20000 --dead 10 --seconds 60
 *   MONGODB_URI=mongodb://host:27017 KAFKA_BROKERS=host:9092 npm run bench:retry-queue
 *
 * Builds first when needed (`npm run build`). Against a fresh database and topics of its own
 * (removed at the end), it:
 *   1. starts a receiver in this process (204 at once) and the built api, and creates --dead
 *      webhooks whose URLs refuse connections (a port nothing listens on, each on its own
 *      loopback address, so each is its own receiving host), --healthy webhooks at the receiver,
 *      one for a test send and one for manual retries;
 *   2. writes --retries due retries of the dead webhooks into the delivery queue, as the worker
 *      writes them, due over the last 30 minutes, and a few failed deliveries of the retry webhook;
 *   3. starts the built worker, and once it is ready writes --scheduled retries per healthy
 *      webhook due over the next --seconds;
 *   4. after 5 s asks for a test send, then for a manual retry of each failed delivery;
 *   5. for --seconds, watches what arrives and the worker's attempts (its /metrics).
 * Prints the time from each request to its arrival (the test send must arrive within 2 s), the
 * healthy webhooks' scheduled retries' lateness (arrival minus due time), the dead endpoints'
 * drain rate (attempts/s) and the CPU of the worker and the local servers.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Connection } from 'mongoose';
import { signAccessToken } from '@app/platform';
import { seedDelivery } from '../test/support/delivery-seeds';
import { seedDueRetries } from '../test/support/queue-seeds';
import {
  type AppProcess,
  ensureAppsBuilt,
  freePort,
  killAppProcesses,
  startApp,
  startedLine,
} from './support/app-processes';
import {
  benchTopics,
  connectKafka,
  createBenchTopics,
  type BenchKafka,
} from './support/bench-kafka';
import {
  connect,
  dropAndClose,
  uniqueDatabaseName,
  uriHosts,
  benchAppSettings,
} from './support/database';
import {
  type Receipt,
  startDeliveryReceiver,
  type DeliveryReceiver,
} from './support/delivery-receiver';
import { ApiClient } from './support/http-client';
import { resolveServers } from './support/infra';
import {
  cpuSeconds,
  groupCpuBetween,
  localServerGroups,
  snapshotGroups,
} from './support/process-cpu';
import { formatCount, formatMs, formatSeconds, summarize } from './support/stats';

interface Flags {
  retries: number;
  dead: number;
  healthy: number;
  scheduled: number;
  manual: number;
  seconds: number;
}

const DEFAULTS: Flags = {
  retries: 100_000,
  dead: 10,
  healthy: 5,
  scheduled: 20,
  manual: 5,
  seconds: 60,
};
const USAGE =
  'usage: npm run bench:retry-queue -- [--retries 100000] [--dead 10] [--healthy 5] ' +
  '[--scheduled 20 (per healthy webhook)] [--manual 5] [--seconds 60]';
/** The backlog's due times spread over this long before the worker starts. */
const BACKLOG_SPAN_MS = 30 * 60_000;
/** What a requested send must take at most. */
const REQUESTED_WITHIN_MS = 2_000;

function parseFlags(argv: readonly string[]): Flags {
  const flags = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([\w-]+)(?:=(.*))?$/.exec(argv[i]);
    const name = match?.[1] as keyof Flags | undefined;
    if (!match || !name || !(name in DEFAULTS))
      throw new Error(`unknown argument "${argv[i]}"\n${USAGE}`);
    const value = Number(match[2] ?? argv[++i]);
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`--${name} must be a whole number\n${USAGE}`);
    flags[name] = value;
  }
  return flags;
}

const step = (label: string) => console.log(`${new Date().toISOString().slice(11, 19)}  ${label}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Wall-clock milliseconds of a performance.now() reading. */
const wallOf = (atMs: number) => performance.timeOrigin + atMs;

/** The worker's attempts so far, from its /metrics. */
async function attemptsMade(worker: AppProcess): Promise<number> {
  const text = await (await fetch(`${worker.url}/metrics`)).text();
  let total = 0;
  for (const match of text.matchAll(
    /^webhook_delivery_attempts_total(?:\{[^}]*\})? (\d+(?:\.\d+)?)$/gm,
  )) {
    total += Number(match[1]);
  }
  return total;
}

/** Arrivals by path, each with its event id and time (wall clock). */
class Arrivals {
  readonly byPath = new Map<string, { eventId: string; atWallMs: number }[]>();
  note(receipt: Receipt): void {
    const list = this.byPath.get(receipt.path) ?? [];
    list.push({ eventId: receipt.webhookId, atWallMs: wallOf(receipt.atMs) });
    this.byPath.set(receipt.path, list);
  }
  /** Resolves with the arrival time of the first request at `path` carrying `eventId`, or NaN. */
  async when(path: string, eventId: string | null, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.byPath.get(path)?.find((a) => eventId === null || a.eventId === eventId);
      if (found) return found.atWallMs;
      if (Date.now() > deadline) return Number.NaN;
      await sleep(10);
    }
  }
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const servers = resolveServers();
  const dbName = uniqueDatabaseName('bench_retry_queue');
  const suffix = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const topics = benchTopics(`bench.retryq.${suffix}`);
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-retry-queue-'));
  const arrivals = new Arrivals();
  let connection: Connection | undefined;
  let kafka: BenchKafka | undefined;
  let receiver: DeliveryReceiver | undefined;
  let api: AppProcess | undefined;
  let worker: AppProcess | undefined;
  let cleanup: Promise<void> | undefined;
  const cleanUp = () =>
    (cleanup ??= (async () => {
      await Promise.all([worker?.stop(), api?.stop()]);
      killAppProcesses();
      await receiver?.close();
      rmSync(stateDir, { recursive: true, force: true });
      if (kafka) {
        for (const problem of await kafka.cleanUp(topics))
          console.error(`could not delete Kafka ${problem}`);
        await kafka.disconnect();
      }
      if (connection)
        console.log((await dropAndClose(connection)) ? `\ndatabase ${dbName} dropped` : '');
    })());
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

  try {
    console.log('retry-queue benchmark');
    console.log(`  database: ${uriHosts(servers.mongoUri)}, ${dbName} (fresh, dropped at the end)`);
    console.log(
      `  settings: --retries ${flags.retries} --dead ${flags.dead} --healthy ${flags.healthy} ` +
        `--scheduled ${flags.scheduled} --manual ${flags.manual} --seconds ${flags.seconds}`,
    );
    const build = ensureAppsBuilt();
    connection = await connect(servers.mongoUri, dbName);
    kafka = await connectKafka(servers.kafkaBrokers, `bench-retryq-${suffix}`);
    await createBenchTopics(kafka.admin, topics, 1);
    receiver = await startDeliveryReceiver((receipt) => arrivals.note(receipt));
    const refusingPort = await freePort();

    const settings = benchAppSettings({ ...servers, dbName, stateDir });
    const jwtSecret = settings.jwtSecret;
    const [apiPort, workerPort] = [await freePort(), await freePort()];
    const env: Record<string, string> = {
      ...settings.env,
      KAFKA_TOPICS: topics.platform.join(','),
      KAFKA_DEAD_LETTER_TOPIC: topics.deadLetter,
      KAFKA_CONSUMER_GROUP: topics.group,
      WEBHOOKS_ALLOW_HTTP: 'true',
      DELIVERY_ALLOWED_CIDRS: '127.0.0.0/8',
      PORT: String(apiPort),
      WORKER_HEALTH_PORT: String(workerPort),
    };
    api = await startApp('api', env, apiPort);
    console.log(`  api:      ${startedLine(api, build)}`);
    const client = new ApiClient(api.url);
    const token = signAccessToken(jwtSecret, { id: 'bench-admin', role: 'admin' }, 3600);
    const create = async (name: string, url: string) =>
      (
        await client.request<{ id: string }>('POST', '/webhooks', token, {
          body: { name, url, environment: 'production', eventTypes: ['license.created'] },
          expect: 201,
        })
      ).body.id;
    const dead: string[] = [];
    for (let n = 1; n <= flags.dead; n++) {
      dead.push(await create(`Dead ${n}`, `http://127.0.1.${n}:${refusingPort}/dead`));
    }
    const healthy: string[] = [];
    for (let n = 1; n <= flags.healthy; n++)
      healthy.push(await create(`Healthy ${n}`, `${receiver.url}/w/h${n}`));
    const testWebhook = await create('Test target', `${receiver.url}/w/test`);
    const retryWebhook = await create('Retry target', `${receiver.url}/w/retry`);
    step(
      `created ${flags.dead} dead webhooks (connections refused), ${flags.healthy} healthy, a test and a retry target`,
    );

    const seedStarted = performance.now();
    const perDead = Math.ceil(flags.retries / Math.max(1, flags.dead));
    const now = Date.now();
    for (const [index, webhookId] of dead.entries()) {
      const count = Math.min(perDead, flags.retries - index * perDead);
      if (count <= 0) break;
      await seedDueRetries(connection.db!, [
        {
          webhookId,
          count,
          prefix: `dead${index}`,
          dueAt: (n) => new Date(now - BACKLOG_SPAN_MS + (n * BACKLOG_SPAN_MS) / count),
        },
      ]);
    }
    const failed = [];
    for (let n = 0; n < flags.manual; n++) {
      failed.push(
        await seedDelivery(connection.db!, {
          webhookId: retryWebhook,
          event: `failed${n}`,
          at: new Date(now - 3_600_000),
          status: 'failed',
          responses: [500],
        }),
      );
    }
    step(
      `wrote ${formatCount(flags.retries)} due retries in ${formatSeconds(performance.now() - seedStarted)}`,
    );

    worker = await startApp('worker', env, workerPort, { timeoutMs: 180_000 });
    step(`worker ready after ${formatSeconds(worker.startupMs)} (pid ${worker.pid})`);
    const serverGroups = localServerGroups(uriHosts(servers.mongoUri), servers.kafkaBrokers);
    const cpuFrom = {
      worker: cpuSeconds(worker.pid) ?? Number.NaN,
      groups: snapshotGroups(serverGroups),
      atMs: performance.now(),
    };
    const attemptsFrom = await attemptsMade(worker);

    // The healthy webhooks' own retries, due over the run, each its own event.
    const windowStart = Date.now() + 5_000;
    const spacing = (flags.seconds * 1000 - 10_000) / Math.max(1, flags.scheduled);
    const scheduled = await seedDueRetries(
      connection.db!,
      healthy.map((webhookId, index) => ({
        webhookId,
        count: flags.scheduled,
        prefix: `healthy${index}`,
        eventPerDelivery: true,
        dueAt: (n: number) => new Date(windowStart + n * spacing + index * 97),
      })),
    );
    const dueOf = new Map(
      scheduled.map((entry) => [entry.eventId, { due: entry.dueAt.getTime(), path: '' }]),
    );
    for (const [index, webhookId] of healthy.entries()) {
      for (const entry of scheduled)
        if (entry.webhookId === webhookId) dueOf.get(entry.eventId)!.path = `/w/h${index + 1}`;
    }

    await sleep(5_000);
    step('asking for a test send');
    const testAsked = Date.now();
    const test = await client.request<{ eventId: string }>(
      'POST',
      `/webhooks/${testWebhook}/test`,
      token,
      { expect: 202 },
    );
    const testAccepted = Date.now();
    const testArrived = await arrivals.when('/w/test', test.body.eventId, 60_000);
    const testMs = testArrived - testAsked;
    step(
      `  arrived after ${formatMs(testMs)} (accepted after ${formatMs(testAccepted - testAsked)})`,
    );
    const retryMs: number[] = [];
    const acceptedMs: number[] = [];
    for (const delivery of failed) {
      const asked = Date.now();
      await client.request('POST', `/deliveries/${delivery._id}/retry`, token, { expect: 202 });
      acceptedMs.push(Date.now() - asked);
      retryMs.push((await arrivals.when('/w/retry', delivery.eventId, 60_000)) - asked);
      await sleep(1_000);
    }
    step(
      `  ${retryMs.length} manual retries arrived after ${retryMs.map((ms) => formatMs(ms)).join(', ')}` +
        ` (accepted after ${acceptedMs.map((ms) => formatMs(ms)).join(', ')})`,
    );

    const windowEnd = windowStart + flags.seconds * 1000;
    while (Date.now() < windowEnd) await sleep(500);
    const cpuTo = {
      worker: cpuSeconds(worker.pid) ?? Number.NaN,
      groups: snapshotGroups(serverGroups),
      atMs: performance.now(),
    };
    const attempts = (await attemptsMade(worker)) - attemptsFrom;
    const wallMs = cpuTo.atMs - cpuFrom.atMs;

    const lateness: number[] = [];
    let missing = 0;
    for (const [eventId, { due, path }] of dueOf) {
      const arrival = arrivals.byPath.get(path)?.find((a) => a.eventId === eventId);
      if (arrival) lateness.push(arrival.atWallMs - due);
      else missing++;
    }
    const healthyAttempts = lateness.length + 1 + retryMs.filter(Number.isFinite).length;
    const drained = attempts - healthyAttempts;
    const late = summarize(lateness);
    const percent = (seconds: number) =>
      `${seconds.toFixed(1)} s, ${((seconds * 100_000) / wallMs).toFixed(0)}% of a core`;
    const rows: [string, string][] = [
      [
        'backlog',
        `${formatCount(flags.retries)} due retries of ${flags.dead} dead webhooks (connections refused), due over the last 30 min`,
      ],
      [
        'test send',
        `${formatMs(testMs)} from the request to its arrival (${testMs < REQUESTED_WITHIN_MS ? 'within' : 'NOT within'} 2 s)`,
      ],
      ['manual retries', retryMs.map((ms) => formatMs(ms)).join(', ')],
      [
        'healthy retries',
        `${lateness.length} of ${dueOf.size} arrived; lateness after their due time p50 ${formatMs(late.p50)}, p95 ${formatMs(late.p95)}, max ${formatMs(late.max)}` +
          (missing > 0 ? ` -- ${missing} NOT ARRIVED` : ''),
      ],
      [
        'drain',
        `${formatCount(drained)} attempts to the dead endpoints in ${formatSeconds(wallMs)}: ${(drained / (wallMs / 1000)).toFixed(0)} attempts/s`,
      ],
      ['CPU', `over ${formatSeconds(wallMs)}; 2 cores = 200%`],
      ['  worker (node)', percent(cpuTo.worker - cpuFrom.worker)],
      ...groupCpuBetween(cpuFrom.groups, cpuTo.groups).map(
        ({ label, seconds }): [string, string] => [`  ${label}`, percent(seconds)],
      ),
    ];
    const width = Math.max(...rows.map(([label]) => label.length)) + 2;
    console.log('\nresults');
    for (const [label, value] of rows) console.log(`  ${`${label}:`.padEnd(width)} ${value}`);
    if (!(testMs < REQUESTED_WITHIN_MS) || missing > 0) process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(
      'benchmark failed:',
      error instanceof Error ? (error.stack ?? error.message) : error,
    );
    process.exit(1);
  },
);
