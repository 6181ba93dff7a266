/**
 * Event-store benchmark: prints figures, asserts nothing.
 *
 *   npm run bench:event-store                                   # local FerretDB (scripts/infra)
 *   MONGODB_URI=mongodb://127.0.0.1:27019/bench npm run bench:event-store
 *
 * Works in a fresh, uniquely named database that is dropped at the end (also on failure/Ctrl-C).
 * Measures:
 *   1. one writer appending 1 event at a time, sequentially, round-robin over many streams;
 *   2. several writer PROCESSES appending concurrently to distinct streams: within one process
 *      appends claim positions one at a time by design, so only other processes' appends collide
 *      on the global position; every collision costs the loser a retry, counted here through the
 *      store's `beforeCommit` hook (it runs once per insert attempt);
 *   3. ProjectionRunner.catchUp() from position 0 over everything written, with a projection that
 *      does nothing (pure log reads) and with the RecordingProjection (one applyOnce upsert each).
 *
 * Settings (env): BENCH_APPENDS (2000), BENCH_STREAMS (100), BENCH_WRITERS (4),
 * BENCH_WRITER_APPENDS (500), BENCH_BATCH_SIZE (500, events per catch-up batch),
 * BENCH_WRITERS_TIMEOUT_MS (150000). FerretDB on SQLite scans whole tables on every query and
 * serializes writers, so use about a quarter of the defaults there (BENCH_APPENDS=500
 * BENCH_WRITER_APPENDS=125 takes about 2.5 minutes on a 2-core machine).
 */
import type { Connection } from 'mongoose';
import { SystemClock } from '../libs/event-store/src/clock';
import { EventStore } from '../libs/event-store/src/event-store';
import { CheckpointStore } from '../libs/event-store/src/projections/checkpoint-store';
import type { Projection } from '../libs/event-store/src/projections/projection';
import { ProjectionRunner } from '../libs/event-store/src/projections/projection-runner';
import { RecordingProjection } from '../libs/event-store/src/testing/recording.projection';
import { type AppendRun, appendSequentially, countingStore, warmUp } from './support/append-loop';
import {
  connect,
  describeServer,
  serverLine,
  dropAndClose,
  resolveMongoUri,
  uniqueDatabaseName,
  uriHosts,
} from './support/database';
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
import { killWriterProcesses, runWriterProcesses } from './support/writer-processes';

const settings = {
  appends: envInt('BENCH_APPENDS', 2000),
  streams: envInt('BENCH_STREAMS', 100),
  writers: envInt('BENCH_WRITERS', 4),
  writerAppends: envInt('BENCH_WRITER_APPENDS', 500),
  batchSize: envInt('BENCH_BATCH_SIZE', 500),
  writersTimeoutMs: envInt('BENCH_WRITERS_TIMEOUT_MS', 150_000),
};

/** Reads and discards: measures the log reads, decoding and checkpointing of a catch-up. */
class NoopProjection implements Projection {
  readonly name = 'bench-noop';
  readonly collectionBase = 'rm_bench_noop';
  applied = 0;

  apply(): Promise<void> {
    this.applied++;
    return Promise.resolve();
  }
}

interface CatchUpFigures {
  events: number;
  position: number;
  elapsedMs: number;
  readModelDocuments?: number;
}

/** A fresh runner (own store instance, checkpoint at 0) catching up over the whole log. */
async function catchUp(
  connection: Connection,
  projection: Projection,
  countEvents: () => number,
  countDocuments: boolean,
): Promise<CatchUpFigures> {
  const store = new EventStore(connection, new SystemClock());
  const runner = new ProjectionRunner(
    store,
    new CheckpointStore(connection),
    connection,
    projection,
    { batchSize: settings.batchSize },
  );
  const { result: position, elapsedMs } = await timed(() => runner.catchUp());
  const figures: CatchUpFigures = { events: countEvents(), position, elapsedMs };
  if (countDocuments) figures.readModelDocuments = await runner.collection.countDocuments();
  return figures;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The result lines of an append run: rate and latencies, then retries and give-ups. */
function appendRows(
  label: string,
  run: AppendRun,
  { appends, elapsedMs, shape }: { appends: number; elapsedMs: number; shape: string },
): [string, string][] {
  const succeeded = run.latenciesMs.length;
  const latency = summarize(run.latenciesMs);
  const retries = run.attempts - appends;
  const rows: [string, string][] = [
    [
      label,
      `${formatCount(perSecond(succeeded, elapsedMs))} appends/s ` +
        `(${formatLatencies(latency)}, max ${formatMs(latency.max)})`,
    ],
    [
      '',
      `${succeeded} appends in ${formatSeconds(elapsedMs)} (${shape}); ` +
        (retries === 0
          ? '0 retries'
          : `${retries} retries (${(retries / appends).toFixed(2)} per append): ` +
            `${run.retriedAppends} appends (${((100 * run.retriedAppends) / appends).toFixed(1)}%) ` +
            `retried, at most ${run.maxAttempts} attempts for one`),
    ],
  ];
  if (run.failedAppends > 0) {
    rows.push([
      '  GAVE UP',
      `${run.failedAppends} ${run.failedAppends === 1 ? 'append' : 'appends'} failed: ` +
        `the store gave up after ${run.maxAttempts} attempts ` +
        `(after ${run.failedLatenciesMs.map(formatMs).join(', ')})`,
    ]);
  }
  return rows;
}

function catchUpRow(label: string, figures: CatchUpFigures): [string, string] {
  const documents =
    figures.readModelDocuments === undefined
      ? ''
      : `, ${formatCount(figures.readModelDocuments)} read-model documents`;
  return [
    label,
    `${formatCount(perSecond(figures.events, figures.elapsedMs))} events/s ` +
      `(${formatCount(figures.events)} events in ${formatSeconds(figures.elapsedMs)}, ` +
      `batches of ${settings.batchSize}${documents})`,
  ];
}

function step(label: string): void {
  console.log(`${new Date().toISOString().slice(11, 19)}  ${label}`);
}

async function main(): Promise<void> {
  const uri = resolveMongoUri();
  const dbName = uniqueDatabaseName();
  let connection: Connection | undefined;

  // Runs once, whichever comes first: the end of the run (success or failure) or Ctrl-C.
  let cleanup: Promise<void> | undefined;
  const cleanUp = (): Promise<void> =>
    (cleanup ??= (async () => {
      killWriterProcesses();
      if (!connection) return;
      const dropped = await dropAndClose(connection);
      console.log(dropped ? `\ndatabase ${dbName} dropped` : `\ndatabase ${dbName} NOT dropped`);
    })());
  process.once('SIGINT', () => {
    console.error(`\ninterrupted: stopping the writers and dropping ${dbName}`);
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    const settingsLine = [
      `BENCH_APPENDS=${settings.appends}`,
      `BENCH_STREAMS=${settings.streams}`,
      `BENCH_WRITERS=${settings.writers}`,
      `BENCH_WRITER_APPENDS=${settings.writerAppends}`,
      `BENCH_BATCH_SIZE=${settings.batchSize}`,
    ].join(' ');
    console.log('event-store benchmark');
    console.log(`  host:     ${uriHosts(uri)}`);
    console.log(`  database: ${dbName} (fresh, dropped at the end)`);
    console.log(`  settings: ${settingsLine}`);
    console.log(`  node:     ${process.version}, pid ${process.pid}`);

    connection = await connect(uri, dbName);
    const { store, attempts } = countingStore(connection);
    await store.init();
    await warmUp(store, 'bench-single');
    // After the first writes: FerretDB names its backend only once it has used it.
    const server = await describeServer(connection);
    console.log(`  server:   ${serverLine(server)}`);
    console.log('');

    // 1. Single writer.
    step(`single writer: ${settings.appends} appends over ${settings.streams} streams`);
    const single = await timed(() =>
      appendSequentially(store, attempts, 'bench-single', settings.appends, settings.streams),
    );

    // 2. Concurrent writer processes.
    step(
      `concurrent writers: ${settings.writers} processes x ${settings.writerAppends} appends ` +
        `(${settings.streams} streams each)`,
    );
    const concurrent = await runWriterProcesses(
      { uri, dbName, appends: settings.writerAppends, streams: settings.streams },
      settings.writers,
      settings.writersTimeoutMs,
    );

    // 3. Projection catch-up over everything written.
    // Every append above wrote one event: the log holds that many, up to the head position.
    const head = await store.headPosition();
    const written = settings.appends + concurrent.writerSucceeded.reduce((sum, n) => sum + n, 0);
    step(`catch-up, no-op projection: ${written} events, batches of ${settings.batchSize}`);
    const noopProjection = new NoopProjection();
    const noop = await catchUp(connection, noopProjection, () => noopProjection.applied, false);
    step(`catch-up, RecordingProjection: ${written} events, batches of ${settings.batchSize}`);
    const recordingProjection = new RecordingProjection('bench-recording', 'rm_bench_recording');
    const recording = await catchUp(
      connection,
      recordingProjection,
      () => recordingProjection.seen.length,
      true,
    );
    step('done');

    // Results.
    const firstWriterDoneMs = Math.min(...concurrent.writerElapsedMs);
    const appendsWhileAllRan = concurrent.completedAtMs.filter(
      (ms) => ms <= firstWriterDoneMs,
    ).length;
    const rows: [string, string][] = [
      ...appendRows('single writer', single.result, {
        appends: settings.appends,
        elapsedMs: single.elapsedMs,
        shape: `1 process, sequential`,
      }),
      ...appendRows('concurrent writers', concurrent, {
        appends: concurrent.appends,
        elapsedMs: concurrent.wallMs,
        shape: `${concurrent.writers} processes x ${settings.writerAppends}, distinct streams`,
      }),
      [
        '  while all ran',
        `${formatCount(perSecond(appendsWhileAllRan, firstWriterDoneMs))} appends/s ` +
          `(${appendsWhileAllRan} appends in the ${formatSeconds(firstWriterDoneMs)} before the first writer finished)`,
      ],
      [
        '  per process',
        `${formatCount(mean(concurrent.writerElapsedMs.map((ms, i) => perSecond(concurrent.writerSucceeded[i], ms))))} ` +
          `appends/s on average; fastest done in ${formatSeconds(Math.min(...concurrent.writerElapsedMs))}, ` +
          `slowest in ${formatSeconds(Math.max(...concurrent.writerElapsedMs))}`,
      ],
      catchUpRow('catch-up, no-op', noop),
      catchUpRow('catch-up, recording', recording),
    ];
    for (const figures of [noop, recording]) {
      if (figures.events !== written || figures.position !== head) {
        rows.push([
          '  LOSS CHECK',
          `a catch-up applied ${figures.events} of ${written} events, up to position ${figures.position} of ${head}`,
        ]);
      }
    }
    const width = Math.max(...rows.map(([label]) => label.length)) + 1;
    console.log('');
    console.log(`results (${server.product} at ${uriHosts(uri)})`);
    for (const [label, value] of rows) {
      console.log(`  ${(label ? `${label}:` : '').padEnd(width + 1)} ${value}`);
    }
  } finally {
    await cleanUp();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(
      'benchmark failed:',
      error instanceof Error ? (error.stack ?? error.message) : error,
    );
    process.exit(1);
  },
);
