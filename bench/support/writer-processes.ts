import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AppendRun } from './append-loop';
import type { GoMessage, WorkerConfig, WorkerMessage } from './messages';

/** All writers' append runs merged, plus the figures of the run as a whole. */
export interface ConcurrentWritersResult extends AppendRun {
  writers: number;
  /** Appends requested in all (succeeded or given up). */
  appends: number;
  /** From `go` to the last writer's `done`, as the parent saw it. */
  wallMs: number;
  /** Each writer's own time for its appends, and how many of them succeeded. */
  writerElapsedMs: number[];
  writerSucceeded: number[];
}

type Done = Extract<WorkerMessage, { type: 'done' }>;

/** Workers still running, so a Ctrl-C handler can end them. */
const live = new Set<ChildProcess>();

export function killWriterProcesses(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/**
 * Forks `writers` processes (bench/support/append-worker), waits until every one is connected and
 * warmed up, releases them together and collects their results. Rejects, after killing the
 * workers, if one fails or they take longer than `timeoutMs` in all.
 */
export async function runWriterProcesses(
  base: Omit<WorkerConfig, 'index'>,
  writers: number,
  timeoutMs: number,
): Promise<ConcurrentWritersResult> {
  const children: ChildProcess[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    const readiness: Promise<void>[] = [];
    const results: Promise<Done>[] = [];
    for (let index = 0; index < writers; index++) {
      const child = spawnWorker({ ...base, index });
      children.push(child);
      live.add(child);
      const { ready, done } = track(child, index);
      readiness.push(ready);
      results.push(done);
    }
    // Failures while waiting for `ready` must not go unhandled in the `done` promises.
    for (const result of results) result.catch(() => undefined);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`writer processes did not finish within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });

    await Promise.race([Promise.all(readiness), timeout]);
    const started = performance.now();
    for (const child of children) child.send({ type: 'go' } satisfies GoMessage);
    const done = await Promise.race([Promise.all(results), timeout]);
    const wallMs = performance.now() - started;
    return {
      writers,
      appends: done.reduce((sum, result) => sum + result.appends, 0),
      failedAppends: done.reduce((sum, result) => sum + result.failedAppends, 0),
      failedLatenciesMs: done.flatMap((result) => result.failedLatenciesMs),
      attempts: done.reduce((sum, result) => sum + result.attempts, 0),
      retriedAppends: done.reduce((sum, result) => sum + result.retriedAppends, 0),
      maxAttempts: Math.max(...done.map((result) => result.maxAttempts)),
      wallMs,
      writerElapsedMs: done.map((result) => result.elapsedMs),
      writerSucceeded: done.map((result) => result.latenciesMs.length),
      latenciesMs: done.flatMap((result) => result.latenciesMs),
      completedAtMs: done.flatMap((result) => result.completedAtMs),
    };
  } finally {
    clearTimeout(timer);
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      live.delete(child);
    }
  }
}

function spawnWorker(config: WorkerConfig): ChildProcess {
  // Run through ts-node when this benchmark itself runs from TypeScript sources.
  const typescript = __filename.endsWith('.ts');
  const script = join(__dirname, typescript ? 'append-worker.ts' : 'append-worker.js');
  const execArgv = typescript ? ['-r', require.resolve('ts-node/register/transpile-only')] : [];
  return fork(script, [JSON.stringify(config)], { execArgv, stdio: 'inherit' });
}

/** `ready` resolves on the worker's `ready`; `done` on its results. Both reject if it fails. */
function track(child: ChildProcess, index: number): { ready: Promise<void>; done: Promise<Done> } {
  let markReady!: () => void;
  let markDone!: (result: Done) => void;
  let fail!: (error: Error) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  const ready = Promise.race([new Promise<void>((resolve) => (markReady = resolve)), failed]);
  const done = Promise.race([new Promise<Done>((resolve) => (markDone = resolve)), failed]);
  let finished = false;
  child.on('message', (message: WorkerMessage) => {
    if (message.type === 'ready') markReady();
    if (message.type === 'done') {
      finished = true;
      markDone(message);
    }
    if (message.type === 'error') fail(new Error(`writer ${index} failed: ${message.message}`));
  });
  child.on('error', (error) => fail(new Error(`writer ${index}: ${error.message}`)));
  child.on('exit', (code, signal) => {
    if (!finished)
      fail(new Error(`writer ${index} exited (code ${code}, signal ${signal}) before finishing`));
  });
  return { ready, done };
}
