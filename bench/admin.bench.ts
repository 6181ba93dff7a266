/**
 * Admin API benchmark: prints figures, asserts nothing.
 *
 *   npm run bench:admin                                          # local FerretDB + Kafka (scripts/infra)
 *   BENCH_WEBHOOKS=2000 npm run bench:admin                      # a shorter run
 *   MONGODB_URI=mongodb://host:27017 KAFKA_BROKERS=host:9092 npm run bench:admin
 *
 * Runs the real api (`node dist/apps/api/main.js`, built first when missing or older than its
 * sources) as a child process on a free port, against a fresh, uniquely named database that is
 * dropped at the end (also on failure/Ctrl-C), and measures over HTTP:
 *   1. writes: BENCH_WEBHOOKS webhooks created through POST /api/v1/webhooks by an admin,
 *      BENCH_CONCURRENCY at a time, with varied names, URLs, environments and event types from
 *      GET /api/v1/event-types; every fifth is then deactivated (POST /:id/deactivate), which
 *      counts toward the write figures. Each create returns once the list shows it (read your
 *      writes), so its latency includes the projection;
 *   2. reads: BENCH_READS sequential requests of each kind of list an auditor makes (plain, by
 *      environment, status, event type, name search, URL search, sort=updatedAt, the 5th page
 *      through nextCursor), then one webhook's history, each kind stopping early once it has taken BENCH_READ_SECONDS (on
 *      FerretDB a list of 10,000 webhooks takes seconds, and 200 of each would take most of an
 *      hour); the figures say how many requests each kind got;
 *   3. the same lists from the durable read-model collection, from this process: each of its
 *      find and three countDocuments on its own, and for the plain list the whole query (the api
 *      answers from its in-memory webhook directory instead, so this is what it no longer pays);
 *      BENCH_RAW_READS=0 skips it;
 *   4. ProjectionRebuilder.rebuild(WebhookListProjection) run from this process while the api
 *      keeps serving, and whether the api's list still shows the same total afterwards (right after
 *      the swap, and once the old collection has been dropped).
 *
 * Settings (env): BENCH_WEBHOOKS (10000), BENCH_CONCURRENCY (8), BENCH_READS (200),
 * BENCH_READ_SECONDS (20 per kind; 0: no limit), BENCH_RAW_READS (3), BENCH_BATCH_SIZE (500,
 * events per rebuild batch), BENCH_SEED (1, the webhooks' names, URLs and event types).
 * On FerretDB 1.24 + PostgreSQL on a 2-core machine the defaults take about 18 minutes, 13 of them
 * writing (creates slow down as the database grows: FerretDB's point lookups scan whole tables);
 * BENCH_WEBHOOKS=2000 takes about 5 minutes, most of it the reads' time limits.
 */
import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Connection } from 'mongoose';
import {
  CheckpointStore,
  EventStore,
  ProjectionRebuilder,
  SystemClock,
  type RebuildResult,
} from '@app/event-store';
import { signAccessToken, type Role } from '@app/platform';
import { WebhookListProjection } from '../libs/webhooks/src/read-models/webhook-list.projection';
import type { ListWebhooksParams } from '../libs/webhooks/src/read-models/webhook-list.query';
import {
  type AppProcess,
  ensureAppsBuilt,
  freePort,
  killAppProcesses,
  startApp,
  startedLine,
} from './support/app-processes';
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
  ApiClient,
  runPool,
  type TimedResponse,
  UnexpectedResponseError,
} from './support/http-client';
import { resolveServers } from './support/infra';
import { type RawListTimings, timeListQueries } from './support/list-queries';
import {
  envInt,
  formatCount,
  formatLatencies,
  formatMs,
  formatSeconds,
  perSecond,
  summarize,
  timed,
} from './support/stats';
import { NAME_SEARCH, URL_SEARCH, webhookInput } from './support/webhook-fixtures';

const settings = {
  webhooks: envInt('BENCH_WEBHOOKS', 10_000),
  concurrency: envInt('BENCH_CONCURRENCY', 8),
  reads: envInt('BENCH_READS', 200),
  readSeconds: envInt('BENCH_READ_SECONDS', 20, 0),
  rawReads: envInt('BENCH_RAW_READS', 3, 0),
  batchSize: envInt('BENCH_BATCH_SIZE', 500),
  seed: envInt('BENCH_SEED', 1),
};

/** Every DEACTIVATE_EVERY-th webhook is deactivated after it is created (20%). */
const DEACTIVATE_EVERY = 5;
/** Page size of every list read. */
const PAGE = 20;
/** The page the cursor read fetches (following nextCursor from the first). */
const CURSOR_PAGE = 5;
/** Requests of each kind before the timed ones (connections, JIT, caches). */
const WARM_UP_READS = 1;
/** Requests of each kind taken even past BENCH_READ_SECONDS. */
const MIN_READS = 5;
/** The rebuild drops the replaced collection after this long; the check waits it out. */
const DROP_DELAY_MS = 3000;
/** The api polls its checkpoint every 250 ms (PROJECTION_POLL_INTERVAL_MS) to follow a swap. */
const FOLLOW_SWAP_MARGIN_MS = 2000;
/** Failed writes tolerated before the run stops: a broken api is not worth timing. */
const MAX_WRITE_FAILURES = Math.max(10, Math.ceil(settings.webhooks / 100));

interface ListPage {
  items: { id: string; name: string }[];
  total: number;
  counts: { active: number; inactive: number };
  nextCursor: string | null;
}

interface ReadKind {
  label: string;
  /** The query string of GET /api/v1/webhooks. */
  query: Record<string, string>;
  /** Another route than the list (a webhook's history): no raw database timings. */
  path?: string;
  /** The same list as listWebhooks parameters, for the raw database timings. */
  params: ListWebhooksParams;
}

interface ReadFigures {
  kind: ReadKind;
  latenciesMs: number[];
  total: number;
  items: number;
}

interface WriteFigures {
  wallMs: number;
  createMs: number[];
  deactivateMs: number[];
  failures: { index: number; message: string }[];
}

/** Set on Ctrl-C: the requests then failing are the api being stopped, not worth a line each. */
let interrupted = false;

function step(label: string): void {
  console.log(`${new Date().toISOString().slice(11, 19)}  ${label}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function listPath(query: Record<string, string>): string {
  return `/webhooks?${new URLSearchParams({ limit: String(PAGE), ...query }).toString()}`;
}

/** Creates the webhooks (and deactivates every fifth), `concurrency` at a time. */
async function createWebhooks(
  client: ApiClient,
  adminToken: string,
  eventTypes: readonly string[],
): Promise<WriteFigures> {
  const figures: WriteFigures = { wallMs: 0, createMs: [], deactivateMs: [], failures: [] };
  const total = settings.webhooks;
  const progressEvery = Math.max(1, Math.round(total / 10));
  let done = 0;
  const started = performance.now();
  await runPool(
    total,
    settings.concurrency,
    async (index) => {
      const created = await client.request<{ id: string }>('POST', '/webhooks', adminToken, {
        body: webhookInput(settings.seed, index, eventTypes),
        expect: 201,
      });
      figures.createMs.push(created.elapsedMs);
      if (index % DEACTIVATE_EVERY === DEACTIVATE_EVERY - 1) {
        const deactivated = await client.request(
          'POST',
          `/webhooks/${created.body.id}/deactivate`,
          adminToken,
        );
        figures.deactivateMs.push(deactivated.elapsedMs);
      }
      if (++done % progressEvery === 0 && done < total) {
        const elapsed = performance.now() - started;
        step(
          `  ${formatCount(done)}/${formatCount(total)} webhooks written ` +
            `(${formatCount(perSecond(figures.createMs.length, elapsed))} creates/s so far)`,
        );
      }
    },
    (error, index) => {
      figures.failures.push({ index, message: (error as Error).message });
      if (figures.failures.length <= 3 && !interrupted) {
        console.error(`  write failed: ${(error as Error).message}`);
      }
      return figures.failures.length <= MAX_WRITE_FAILURES;
    },
  );
  figures.wallMs = performance.now() - started;
  return figures;
}

/** The kinds of list an auditor reads; the cursor one is resolved by walking the first pages. */
function readKinds(eventType: string): ReadKind[] {
  return [
    { label: 'plain list', query: {}, params: { limit: PAGE } },
    {
      label: 'environment=staging',
      query: { environment: 'staging' },
      params: { limit: PAGE, environment: 'staging' },
    },
    {
      label: 'status=inactive',
      query: { status: 'inactive' },
      params: { limit: PAGE, status: 'inactive' },
    },
    {
      label: `eventType=${eventType}`,
      query: { eventType },
      params: { limit: PAGE, eventType: eventType as ListWebhooksParams['eventType'] },
    },
    {
      label: `search name "${NAME_SEARCH}"`,
      query: { search: NAME_SEARCH },
      params: { limit: PAGE, search: NAME_SEARCH },
    },
    {
      label: `search URL "${URL_SEARCH}"`,
      query: { search: URL_SEARCH },
      params: { limit: PAGE, search: URL_SEARCH },
    },
    {
      label: 'sort=updatedAt',
      query: { sort: 'updatedAt' },
      params: { limit: PAGE, sort: 'updatedAt' },
    },
  ];
}

/** A webhook's history (created, then deactivated): its own stream, whatever the log holds. */
function historyKind(webhookId: string | undefined): ReadKind[] {
  if (!webhookId) return [];
  return [
    {
      label: 'history of one webhook',
      query: {},
      path: `/webhooks/${webhookId}/history`,
      params: { limit: PAGE },
    },
  ];
}

/** The cursor read: follows nextCursor from the first page to page CURSOR_PAGE (or the last). */
async function cursorKind(client: ApiClient, token: string): Promise<ReadKind> {
  // `cursor` is that of page `page`; page 1 has none.
  let cursor: string | null = null;
  let page = 1;
  while (page < CURSOR_PAGE) {
    const query: Record<string, string> = cursor ? { cursor } : {};
    const response: TimedResponse<ListPage> = await client.request<ListPage>(
      'GET',
      listPath(query),
      token,
    );
    if (!response.body.nextCursor) break;
    cursor = response.body.nextCursor;
    page++;
  }
  return {
    label: `cursor, page ${page}`,
    query: cursor ? { cursor } : {},
    params: cursor ? { limit: PAGE, cursor } : { limit: PAGE },
  };
}

/**
 * BENCH_READS sequential requests of one kind after an untimed one, or fewer (but at least
 * MIN_READS) once they have taken BENCH_READ_SECONDS.
 */
async function measureReads(
  client: ApiClient,
  token: string,
  kind: ReadKind,
): Promise<ReadFigures> {
  const path = kind.path ?? listPath(kind.query);
  for (let i = 0; i < WARM_UP_READS; i++) await client.request('GET', path, token);
  const latenciesMs: number[] = [];
  let last: ListPage | undefined;
  const budgetMs = settings.readSeconds * 1000;
  const started = performance.now();
  for (let i = 0; i < settings.reads; i++) {
    if (budgetMs > 0 && i >= MIN_READS && performance.now() - started >= budgetMs) break;
    const response = await client.request<ListPage>('GET', path, token);
    latenciesMs.push(response.elapsedMs);
    last = response.body;
  }
  return { kind, latenciesMs, total: last?.total ?? Number.NaN, items: last?.items.length ?? 0 };
}

/**
 * The durable list read model's current collection: its highest generation marker says which (a
 * fresh database has no legacy `webhook-list` checkpoint document, which this used to read).
 */
async function listCollectionName(connection: Connection): Promise<string> {
  const projection = new WebhookListProjection();
  const current = await new CheckpointStore(connection).current(
    projection.name,
    `${projection.collectionBase}_g1`,
  );
  return current.collection;
}

function latencyText(latenciesMs: readonly number[]): string {
  const summary = summarize(latenciesMs);
  return `${formatLatencies(summary)}, max ${formatMs(summary.max)}`;
}

async function main(): Promise<void> {
  // The rebuilder and its runner log each batch and the swap at `log` level: keep to problems.
  Logger.overrideLogger(['fatal', 'error', 'warn']);
  const servers = resolveServers();
  const dbName = uniqueDatabaseName('bench_admin');
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-admin-'));
  let connection: Connection | undefined;
  let api: AppProcess | undefined;

  // Runs once, whichever comes first: the end of the run (success or failure) or Ctrl-C.
  let cleanup: Promise<void> | undefined;
  const cleanUp = (): Promise<void> =>
    (cleanup ??= (async () => {
      // The api first, so nothing writes to the database while it is dropped.
      if (api) await api.stop();
      killAppProcesses();
      rmSync(stateDir, { recursive: true, force: true });
      if (!connection) return;
      const dropped = await dropAndClose(connection);
      console.log(dropped ? `\ndatabase ${dbName} dropped` : `\ndatabase ${dbName} NOT dropped`);
    })());
  process.once('SIGINT', () => {
    interrupted = true;
    console.error(`\ninterrupted: stopping the api and dropping ${dbName}`);
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    const settingsLine = [
      `BENCH_WEBHOOKS=${settings.webhooks}`,
      `BENCH_CONCURRENCY=${settings.concurrency}`,
      `BENCH_READS=${settings.reads}`,
      `BENCH_READ_SECONDS=${settings.readSeconds}`,
      `BENCH_RAW_READS=${settings.rawReads}`,
      `BENCH_BATCH_SIZE=${settings.batchSize}`,
      `BENCH_SEED=${settings.seed}`,
    ].join(' ');
    console.log('admin API benchmark');
    console.log(`  database: ${uriHosts(servers.mongoUri)}, ${dbName} (fresh, dropped at the end)`);
    console.log(`  kafka:    ${servers.kafkaBrokers}`);
    console.log(`  settings: ${settingsLine}`);
    console.log(`  node:     ${process.version}, pid ${process.pid}`);

    const build = ensureAppsBuilt();
    connection = await connect(servers.mongoUri, dbName);
    const { env, jwtSecret } = benchAppSettings({ ...servers, dbName, stateDir });
    const port = await freePort();
    api = await startApp('api', { ...env, PORT: String(port) }, port);
    console.log(`  api:      ${startedLine(api, build)}`);
    // After the api's first writes (its indexes): FerretDB names its backend only once used.
    const server = await describeServer(connection);
    console.log(`  server:   ${serverLine(server)}`);
    console.log('');

    const token = (role: Role) => signAccessToken(jwtSecret, { id: `bench-${role}`, role }, 3600);
    const adminToken = token('admin');
    const auditorToken = token('auditor');
    const client = new ApiClient(api.url);
    const catalogue = await client.request<{ group: string; eventTypes: string[] }[]>(
      'GET',
      '/event-types',
      token('viewer'),
    );
    const eventTypes = catalogue.body.flatMap((group) => group.eventTypes);

    // 1. Writes.
    step(
      `writes: ${formatCount(settings.webhooks)} creates, every ${DEACTIVATE_EVERY}th then ` +
        `deactivated, ${settings.concurrency} at a time (${eventTypes.length} event types)`,
    );
    const writes = await createWebhooks(client, adminToken, eventTypes);
    const listed = await client.request<ListPage>('GET', listPath({}), auditorToken);

    // 2. Reads over HTTP.
    const filterType = eventTypes.includes('license.created') ? 'license.created' : eventTypes[0];
    const inactive = await client.request<ListPage>(
      'GET',
      listPath({ status: 'inactive' }),
      auditorToken,
    );
    const kinds = [
      ...readKinds(filterType),
      await cursorKind(client, auditorToken),
      ...historyKind(inactive.body.items[0]?.id),
    ];
    const reads: ReadFigures[] = [];
    for (const kind of kinds) {
      step(
        `reads: ${kind.label}, ${settings.reads} requests` +
          (settings.readSeconds > 0 ? ` or ${settings.readSeconds} s` : ''),
      );
      const figures = await measureReads(client, auditorToken, kind);
      reads.push(figures);
      // Printed at once too, so a later failure does not lose what was measured.
      step(`  ${latencyText(figures.latenciesMs)}; n=${figures.latenciesMs.length}`);
    }

    // 3. The same lists' database work alone, from this process.
    const raw: { kind: ReadKind; timings: RawListTimings }[] = [];
    if (settings.rawReads > 0) {
      const collection = connection.db!.collection(await listCollectionName(connection));
      for (const [index, kind] of kinds.entries()) {
        if (kind.path) continue;
        step(`list queries alone: ${kind.label}, ${settings.rawReads} times each`);
        // The whole query once for the plain list: against its HTTP figure, what the api adds.
        const whole = index === 0;
        raw.push({
          kind,
          timings: await timeListQueries(collection, kind.params, settings.rawReads, { whole }),
        });
      }
    }

    // 4. Rebuild while the api serves.
    const before = await client.request<ListPage>('GET', listPath({}), auditorToken);
    step(`rebuild: WebhookListProjection from position 0, batches of ${settings.batchSize}`);
    const store = new EventStore(connection, new SystemClock());
    const rebuilder = new ProjectionRebuilder(store, new CheckpointStore(connection), connection);
    const rebuild: { result: RebuildResult; elapsedMs: number } = await timed(() =>
      rebuilder.rebuild(new WebhookListProjection(), {
        batchSize: settings.batchSize,
        dropDelayMs: DROP_DELAY_MS,
      }),
    );
    const rightAfter = await client.request<ListPage>('GET', listPath({}), auditorToken);
    step(
      `rebuild: waiting ${formatSeconds(DROP_DELAY_MS + FOLLOW_SWAP_MARGIN_MS)} for the old collection's drop`,
    );
    await sleep(DROP_DELAY_MS + FOLLOW_SWAP_MARGIN_MS);
    const afterDrop = await client.request<ListPage>('GET', listPath({}), auditorToken);
    const servedFrom = await listCollectionName(connection);
    step('done');

    // Results.
    const creates = writes.createMs.length;
    const deactivations = writes.deactivateMs.length;
    const writeCount = creates + deactivations;
    const rows: [string, string][] = [
      [
        'creates',
        `${formatCount(perSecond(creates, writes.wallMs))} creates/s ` +
          `(${latencyText(writes.createMs)})`,
      ],
      [
        '',
        `${formatCount(creates)} creates in ${formatSeconds(writes.wallMs)}, ` +
          `${settings.concurrency} at a time, with the deactivations below in the same run`,
      ],
      ['deactivations', `${formatCount(deactivations)} (${latencyText(writes.deactivateMs)})`],
      [
        'writes in all',
        `${formatCount(perSecond(writeCount, writes.wallMs))} writes/s ` +
          `(${formatCount(writeCount)} in ${formatSeconds(writes.wallMs)})` +
          (writes.failures.length > 0 ? `; ${writes.failures.length} FAILED` : ''),
      ],
      [
        'list afterwards',
        `total ${formatCount(listed.body.total)}, ${formatCount(listed.body.counts.active)} active, ` +
          `${formatCount(listed.body.counts.inactive)} inactive ` +
          (listed.body.total === creates && listed.body.counts.inactive === deactivations
            ? '(as written)'
            : `(WRITTEN: ${creates} creates, ${deactivations} deactivations)`),
      ],
    ];
    rows.push([
      'reads (HTTP)',
      `up to ${settings.reads} sequential requests of each kind` +
        (settings.readSeconds > 0 ? ` (or ${settings.readSeconds} s)` : '') +
        `, limit ${PAGE}, auditor`,
    ]);
    for (const read of reads) {
      rows.push([
        `  ${read.kind.label}`,
        `${latencyText(read.latenciesMs)}; n=${read.latenciesMs.length}; ` +
          (read.kind.path ? `${read.items} entries` : `${formatCount(read.total)} match`),
      ]);
    }
    if (raw.length > 0) {
      rows.push([
        'list queries (DB)',
        `p50 of ${settings.rawReads}, from this process straight to the read model, each alone: ` +
          `${raw[0].timings.queries.map((query) => query.label).join(' | ')}`,
      ]);
      for (const { kind, timings } of raw) {
        const alone = timings.queries.map((query) => formatMs(summarize(query.latenciesMs).p50));
        rows.push([`  ${kind.label}`, alone.join(' | ')]);
        if (timings.listMs.length > 0) {
          rows.push([
            `  ${kind.label}, whole`,
            `${formatMs(summarize(timings.listMs).p50)} (the 4 in parallel, as the api runs ` +
              `them; over HTTP p50 ${formatMs(summarize(reads[0].latenciesMs).p50)})`,
          ]);
        }
      }
    }
    const { result } = rebuild;
    rows.push(
      [
        'rebuild',
        `${formatCount(perSecond(result.events, rebuild.elapsedMs))} events/s ` +
          `(${formatCount(result.events)} events in ${formatSeconds(rebuild.elapsedMs)}, ` +
          `batches of ${settings.batchSize}, api serving)`,
      ],
      [
        '',
        `${result.previousCollection} -> ${result.collection} (generation ${result.generation}), ` +
          `up to position ${result.position}` +
          (result.events === writeCount ? '' : `; ${writeCount} events were written`),
      ],
      [
        'api after rebuild',
        `${rightAfter.body.total === before.body.total ? 'OK' : 'MISMATCH'} right after the swap ` +
          `(total ${formatCount(rightAfter.body.total)}, before ${formatCount(before.body.total)})`,
      ],
      [
        '',
        `${afterDrop.body.total === before.body.total ? 'OK' : 'MISMATCH'} after the old collection's ` +
          `drop (total ${formatCount(afterDrop.body.total)}; the checkpoint names ${servedFrom})`,
      ],
    );
    const width = Math.max(...rows.map(([label]) => label.length)) + 1;
    console.log('');
    console.log(`results (${server.product} at ${uriHosts(servers.mongoUri)}, api over HTTP)`);
    for (const [label, value] of rows) {
      console.log(`  ${(label ? `${label}:` : '').padEnd(width + 1)} ${value}`);
    }
    if (writes.failures.length > 0) {
      console.log(`\nfirst failed writes:`);
      for (const failure of writes.failures.slice(0, 5)) {
        console.log(`  webhook ${failure.index + 1}: ${failure.message}`);
      }
    }
  } finally {
    await cleanUp();
  }
}

main().then(
  () => process.exit(0),
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
