import { performance } from 'node:perf_hooks';
import { EventStore } from '../../libs/event-store/src/event-store';
import { SystemClock } from '../../libs/event-store/src/clock';
import { testEvent } from '../../libs/event-store/src/testing/event-factory';
import type { Connection } from 'mongoose';

/** An event store that counts its insert attempts (its `beforeCommit` hook runs once per attempt). */
export function countingStore(connection: Connection): {
  store: EventStore;
  attempts: () => number;
} {
  let attempts = 0;
  const store = new EventStore(connection, new SystemClock(), undefined, {
    beforeCommit: () => {
      attempts++;
      return Promise.resolve();
    },
  });
  return { store, attempts: () => attempts };
}

/**
 * The store gives an append up (a plain Error) after this many attempts lost to other writers:
 * under cross-process contention that is a result to report, not a reason to stop the benchmark.
 */
const GAVE_UP = /did not succeed after (\d+) attempts/;

export interface AppendRun {
  /** Latencies of the appends that succeeded. */
  latenciesMs: number[];
  /** When each of them completed, in ms since the run started. */
  completedAtMs: number[];
  /** Appends the store gave up on (see GAVE_UP); their streams are simply appended to again later. */
  failedAppends: number;
  /** How long each given-up append took before the store gave up. */
  failedLatenciesMs: number[];
  /** Insert attempts in all: appends + retries. */
  attempts: number;
  /** Appends that needed more than one attempt. */
  retriedAppends: number;
  /** The most attempts one append needed. */
  maxAttempts: number;
}

/**
 * `appends` sequential appends of one event each, round-robin over `streams` streams named
 * `<prefix>-<n>`, each with the correct expected version (tracked here, as a command handler that
 * just loaded the aggregate would know it). `attempts` reads the store's attempt counter (see
 * `countingStore`), so retries are counted per append.
 */
export async function appendSequentially(
  store: EventStore,
  attempts: () => number,
  prefix: string,
  appends: number,
  streams: number,
): Promise<AppendRun> {
  const versions = new Array<number>(streams).fill(0);
  const run: AppendRun = {
    latenciesMs: [],
    completedAtMs: [],
    failedAppends: 0,
    failedLatenciesMs: [],
    attempts: 0,
    retriedAppends: 0,
    maxAttempts: 0,
  };
  const runStarted = performance.now();
  for (let i = 0; i < appends; i++) {
    const slot = i % streams;
    const event = testEvent('BenchEventAppended', { seq: i, payload: 'x'.repeat(64) });
    const attemptsBefore = attempts();
    const started = performance.now();
    try {
      const result = await store.append(`${prefix}-${slot}`, versions[slot], [event]);
      const completed = performance.now();
      run.latenciesMs.push(completed - started);
      run.completedAtMs.push(completed - runStarted);
      versions[slot] = result.version;
    } catch (error) {
      if (!(error instanceof Error) || !GAVE_UP.test(error.message)) throw error;
      run.failedAppends++;
      run.failedLatenciesMs.push(performance.now() - started);
    }
    const tries = attempts() - attemptsBefore;
    run.attempts += tries;
    if (tries > 1) run.retriedAppends++;
    run.maxAttempts = Math.max(run.maxAttempts, tries);
  }
  return run;
}

/**
 * Opens the connection's sockets and runs the store's look-ups once, without writing (so
 * concurrent writers do not contend before they are released together).
 */
export async function warmUp(store: EventStore, prefix: string): Promise<void> {
  await store.headPosition();
  await store.streamVersion(`${prefix}-0`);
}
