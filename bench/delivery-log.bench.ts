/**
 * The delivery log at scale (`npm run bench:delivery-log`): what each admin read of deliveries costs
 * with 100,000 finished deliveries kept and with N (default 1,000,000), and how fast retention
 * prunes them while the reads go on.
 *
 *   1. seeds finished deliveries as the worker records them (summary, one attempt each, one event
 *      per 10 deliveries), 1,000 per second of creation time, over 10,000 webhook ids and the
 *      catalogue's event types, 1 in 20 failed (500, 404 or no answer, in turn), 1 webhook in 10
 *      a staging one;
 *   2. at 100,000 and at N: p50/p95 over HTTP of each read (GET /deliveries unfiltered, by
 *      webhook, status, event type, event id, a time range, status class, environment and their
 *      combinations, the next page by cursor, GET /deliveries/:id, and a bulk retry's dry-run
 *      count), side by side, with how full the pages were (a page's reads are bounded); and the
 *      admin page's Webhook Deliveries view in Chromium, navigation to its first rows shown
 *      (10 loads, each in a new tab);
 *   3. prunes all of them (the pruner as a worker runs it, its clock 31 days ahead), printing the
 *      prune rate and GET /deliveries latency meanwhile.
 *
 * Flags: --n <count> (1000000), --reads <per kind> (40), --no-prune, --no-browser. Uses MONGODB_URI (and
 * KAFKA_BROKERS) when set, else the local servers (scripts/infra start); a fresh database, dropped
 * at the end. Starts the built api (npm run build when dist/ is older than the sources).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import type { AppConfig } from '@app/config';
import {
  DELIVERIES_COLLECTION,
  DeliveryPruner,
  ensureDeliveryIndexes,
  RetentionMetrics,
} from '@app/deliveries';
import { FixedClock } from '@app/event-store';
import { GracefulShutdown, ShutdownState, signAccessToken } from '@app/platform';
import {
  ensureAppsBuilt,
  freePort,
  killAppProcesses,
  startApp,
  startedLine,
  type AppProcess,
} from './support/app-processes';
import { connect, dropAndClose, uniqueDatabaseName, benchAppSettings } from './support/database';
import { benchWebhookIds, DeliveryHistory } from './support/delivery-history';
import { AdminPageTiming } from './support/admin-page-timing';
import { ApiClient } from './support/http-client';
import { resolveServers } from './support/infra';
import { formatCount, summarize } from './support/stats';

const DAY_MS = 86_400_000;
const WEBHOOKS = 10_000;
const FAN_OUT = 10;

interface Flags {
  n: number;
  reads: number;
  prune: boolean;
  browser: boolean;
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { n: 1_000_000, reads: 40, prune: true, browser: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--no-prune') flags.prune = false;
    else if (flag === '--no-browser') flags.browser = false;
    else if (flag === '--n') flags.n = Number(argv[++i]);
    else if (flag === '--reads') flags.reads = Number(argv[++i]);
    else throw new Error(`unknown flag ${flag}`);
  }
  if (!(flags.n >= 100_000)) throw new Error('--n must be at least 100000');
  return flags;
}

const history = new DeliveryHistory(benchWebhookIds(WEBHOOKS), FAN_OUT);
const seededDelivery = (i: number, endMs: number, n: number) => history.delivery(i, endMs, n);

interface ReadKind {
  label: string;
  path: (i: number) => string;
  /** A POST of this body (as an admin) rather than a GET. */
  body?: unknown;
}

function readKinds(endMs: number, n: number, small: number, cursor: string): ReadKind[] {
  // Among the newest `small`, seeded first: the same deliveries are read at both sizes.
  const pick = (i: number) => seededDelivery(n - 1 - ((i * 7_919) % small), endMs, n);
  const minute = (i: number) => {
    const from = pick(i).createdAt.getTime();
    return `from=${new Date(from).toISOString()}&to=${new Date(from + 60_000).toISOString()}`;
  };
  return [
    { label: 'GET /deliveries?limit=20', path: () => '/deliveries?limit=20' },
    { label: '&webhookId=', path: (i) => `/deliveries?limit=20&webhookId=${pick(i).webhookId}` },
    { label: '&status=failed', path: () => '/deliveries?limit=20&status=failed' },
    { label: '&eventType=', path: (i) => `/deliveries?limit=20&eventType=${pick(i).eventType}` },
    { label: '&eventId=', path: (i) => `/deliveries?limit=20&eventId=${pick(i).eventId}` },
    { label: '&from=&to= (1 minute)', path: (i) => `/deliveries?limit=20&${minute(i)}` },
    { label: '&statusClass=4xx', path: () => '/deliveries?limit=20&statusClass=4xx' },
    { label: '&environment=staging', path: () => '/deliveries?limit=20&environment=staging' },
    {
      label: '&staging&statusClass=none',
      path: () => '/deliveries?limit=20&environment=staging&statusClass=none',
    },
    {
      label: '&failed&statusClass=5xx',
      path: () => '/deliveries?limit=20&status=failed&statusClass=5xx',
    },
    {
      label: '&webhookId=&statusClass=4xx',
      path: (i) => `/deliveries?limit=20&webhookId=${pick(i).webhookId}&statusClass=4xx`,
    },
    {
      label: 'bulk retry dryRun 4xx (count)',
      path: () => '/deliveries/retry',
      body: { filter: { statusClass: '4xx' }, dryRun: true },
    },
    { label: 'next page (&cursor=)', path: () => `/deliveries?limit=20&cursor=${cursor}` },
    { label: 'GET /deliveries/:id', path: (i) => `/deliveries/${pick(i).id}` },
  ];
}

async function measure(
  client: ApiClient,
  tokens: { auditor: string; admin: string },
  kinds: ReadKind[],
  reads: number,
): Promise<Map<string, { p50: number; p95: number }>> {
  const figures = new Map<string, { p50: number; p95: number }>();
  for (const kind of kinds) {
    const read = (i: number) =>
      kind.body === undefined
        ? client.request<{ items?: unknown[] }>('GET', kind.path(i), tokens.auditor)
        : client.request<{ items?: unknown[] }>('POST', kind.path(i), tokens.admin, {
            body: kind.body,
          });
    for (let i = 0; i < 3; i++) await read(i);
    const times: number[] = [];
    let items = 0;
    let pages = 0;
    for (let i = 0; i < reads; i++) {
      const response = await read(i + 3);
      times.push(response.elapsedMs);
      if (Array.isArray(response.body.items)) {
        items += response.body.items.length;
        pages++;
      }
    }
    const { p50, p95 } = summarize(times);
    figures.set(kind.label, { p50, p95 });
    // A page whose read budget ran out is short (docs/api.md, Bounded pages): say how full.
    const full = pages > 0 ? `, ${(items / pages).toFixed(1)} items/page` : '';
    console.log(`  ${kind.label}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms${full}`);
  }
  return figures;
}

async function prune(connection: Connection, client: ApiClient, token: string, n: number) {
  const pruner = new DeliveryPruner(
    connection,
    new FixedClock(new Date(Date.now() + 31 * DAY_MS)),
    { deliveryRetentionDays: 30 } as AppConfig,
    new RetentionMetrics(new Registry()),
    new GracefulShutdown(new ShutdownState()),
  );
  const latencies: number[] = [];
  let pruning = true;
  const reading = (async () => {
    while (pruning) {
      latencies.push((await client.request('GET', '/deliveries?limit=20', token)).elapsedMs);
      await delay(200);
    }
  })();
  const started = performance.now();
  const pass = await pruner.runPass();
  const elapsedMs = performance.now() - started;
  pruning = false;
  await reading;
  const deleted = pass?.deleted ?? 0;
  const left = await connection.collection(DELIVERIES_COLLECTION).countDocuments({});
  const reads = summarize(latencies);
  console.log('');
  console.log(
    `prune: ${formatCount(deleted)} records (${formatCount(n)} deliveries, their attempts and ` +
      `events) in ${(elapsedMs / 1000).toFixed(1)} s = ${formatCount((deleted * 1000) / elapsedMs)} records/s; ` +
      `${formatCount(left)} deliveries left`,
  );
  console.log(
    `  GET /deliveries?limit=20 meanwhile (${latencies.length} reads): p50 ${reads.p50.toFixed(1)} ms, ` +
      `p95 ${reads.p95.toFixed(1)} ms, p99 ${reads.p99.toFixed(1)} ms`,
  );
}

const PAGE_LABEL = 'admin page: deliveries shown';
const PAGE_LOADS = 10;

/** The admin page's first page of deliveries in the browser, beside the api's reads. */
async function measurePage(
  browser: AdminPageTiming | undefined,
  apiUrl: string,
  token: string,
  figures: Map<string, { p50: number; p95: number }>,
): Promise<void> {
  if (!browser) return;
  const page = await browser.deliveriesFirstPage(apiUrl, token, PAGE_LOADS);
  figures.set(PAGE_LABEL, page);
  console.log(
    `  ${PAGE_LABEL} (navigation to the first rows, ${PAGE_LOADS} loads): p50 ${page.p50.toFixed(1)} ms, ` +
      `p95 ${page.p95.toFixed(1)} ms, ${page.rows} rows`,
  );
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const servers = resolveServers();
  const dbName = uniqueDatabaseName('bench_delivery_log');
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-delivery-log-'));
  let connection: Connection | undefined;
  let api: AppProcess | undefined;
  let browser: AdminPageTiming | undefined;
  const cleanUp = async () => {
    await browser?.stop();
    await api?.stop().catch(() => undefined);
    await dropAndClose(connection);
    rmSync(stateDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    killAppProcesses();
    void cleanUp().finally(() => process.exit(130));
  });
  try {
    console.log('delivery log benchmark');
    console.log(`  database: ${dbName} (fresh, dropped at the end); N = ${formatCount(flags.n)}`);
    const build = ensureAppsBuilt();
    connection = await connect(servers.mongoUri, dbName, 20);
    await ensureDeliveryIndexes(connection);
    const { env, jwtSecret } = benchAppSettings({ ...servers, dbName, stateDir });
    const timing = flags.browser ? await AdminPageTiming.start() : { skipped: '--no-browser' };
    if ('skipped' in timing) console.log(`  browser:  skipped: ${timing.skipped}`);
    else browser = timing;
    const port = await freePort();
    const ui: Record<string, string> = browser ? { ADMIN_UI_DIR: browser.uiDir } : {};
    api = await startApp('api', { ...env, ...ui, PORT: String(port) }, port);
    console.log(`  api:      ${startedLine(api, build)}`);
    const token = signAccessToken(jwtSecret, { id: 'bench-auditor', role: 'auditor' }, 7200);
    const tokens = {
      auditor: token,
      admin: signAccessToken(jwtSecret, { id: 'bench-admin', role: 'admin' }, 7200),
    };
    const client = new ApiClient(api.url);
    // The history ends a minute ago, 1,000 deliveries per second of creation time.
    const endMs = Date.now() - 60_000;
    const small = Math.min(100_000, flags.n);
    console.log(`seeding ${formatCount(small)} deliveries`);
    await history.seed(connection, flags.n - small, flags.n, endMs, flags.n);
    const first = await client.request<{ nextCursor: string }>(
      'GET',
      '/deliveries?limit=20',
      token,
    );
    const kinds = readKinds(endMs, flags.n, small, first.body.nextCursor);
    const atSmall = await measure(client, tokens, kinds, flags.reads);
    await measurePage(browser, api.url, token, atSmall);
    console.log(`seeding ${formatCount(flags.n - small)} more`);
    await history.seed(connection, 0, flags.n - small, endMs, flags.n);
    const atN = await measure(client, tokens, kinds, flags.reads);
    await measurePage(browser, api.url, token, atN);

    console.log('');
    const head = `${'read'.padEnd(32)} ${'100,000: p50'.padStart(13)} ${'p95'.padStart(8)} ${`${formatCount(flags.n)}: p50`.padStart(15)} ${'p95'.padStart(8)}`;
    console.log(head);
    for (const label of [...kinds.map((kind) => kind.label), ...(browser ? [PAGE_LABEL] : [])]) {
      const a = atSmall.get(label)!;
      const b = atN.get(label)!;
      const ms = (v: number) => `${v.toFixed(1)} ms`;
      console.log(
        `${label.padEnd(32)} ${ms(a.p50).padStart(13)} ${ms(a.p95).padStart(8)} ${ms(b.p50).padStart(15)} ${ms(b.p95).padStart(8)}`,
      );
    }
    if (flags.prune) await prune(connection, client, token, flags.n);
  } finally {
    await cleanUp();
  }
}

main().catch((error: Error) => {
  console.error(error);
  killAppProcesses();
  process.exit(1);
});
