import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { formatSeconds } from './stats';

const REPO_ROOT = join(__dirname, '..', '..');

/** The two bundles `npm run build` makes, by app name. */
export const APP_ENTRIES = {
  api: join(REPO_ROOT, 'dist', 'apps', 'api', 'main.js'),
  worker: join(REPO_ROOT, 'dist', 'apps', 'worker', 'main.js'),
} as const;
export type AppName = keyof typeof APP_ENTRIES;

/**
 * The node options an app runs with in production: those of `npm run start:<name>` (package.json),
 * e.g. the worker's young-generation size, so that a benchmark measures the app as users run it.
 */
export function productionNodeArgs(name: AppName): string[] {
  const scripts = (
    JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const words = (scripts[`start:${name}`] ?? '').split(/\s+/).filter(Boolean);
  return words.filter((word) => word.startsWith('--'));
}

/** What the bundles are built from: both apps' sources, the libraries' and the build configuration. */
const SOURCE_DIRS = ['apps/api/src', 'apps/worker/src', 'libs'];
const BUILD_FILES = [
  'package-lock.json',
  'nest-cli.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'apps/api/tsconfig.app.json',
  'apps/worker/tsconfig.app.json',
];
/** Tests and test helpers are not part of the bundles (the apps' tsconfig.app.json exclude them). */
const NOT_BUILT = /(\.spec\.ts|-spec\.ts)$|\/testing\//;

function newestSource(): { path: string; mtimeMs: number } {
  let newest = { path: '', mtimeMs: 0 };
  const consider = (path: string) => {
    const mtimeMs = statSync(path).mtimeMs;
    if (mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (entry.name.endsWith('.ts') && !NOT_BUILT.test(path)) {
        consider(path);
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(REPO_ROOT, dir));
  for (const file of BUILD_FILES) {
    const path = join(REPO_ROOT, file);
    if (existsSync(path)) consider(path);
  }
  return newest;
}

export interface BuildOutcome {
  /** Why it was (re)built, or undefined when both bundles were up to date. */
  reason?: string;
  elapsedMs: number;
}

/**
 * Runs `npm run build` (both apps) when dist/apps/api/main.js or dist/apps/worker/main.js is
 * missing or older than a source either is built from, with its output shown. Throws if it fails.
 */
export function ensureAppsBuilt(): BuildOutcome {
  let reason: string | undefined;
  const newest = newestSource();
  for (const entry of Object.values(APP_ENTRIES)) {
    const relative = entry.slice(REPO_ROOT.length + 1);
    if (!existsSync(entry)) {
      reason = `${relative} is missing`;
    } else if (newest.mtimeMs > statSync(entry).mtimeMs) {
      reason = `${newest.path.slice(REPO_ROOT.length + 1)} is newer than ${relative}`;
    }
    if (reason) break;
  }
  if (!reason) return { elapsedMs: 0 };
  console.log(`building (${reason}): npm run build`);
  const started = performance.now();
  const result = spawnSync('npm', ['run', 'build'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`npm run build failed (exit code ${result.status})`);
  return { reason, elapsedMs: performance.now() - started };
}

/** How a process ended. */
export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface AppProcess {
  name: AppName;
  pid: number;
  /** Where its GET /health/ready answers. */
  url: string;
  /** Time from spawning to the first 200 of GET /health/ready. */
  startupMs: number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
  /** SIGTERM only, as an orchestrator's rolling deploy: resolves with how it ended, and when. */
  terminate(): Promise<AppExit & { afterMs: number }>;
  /** SIGKILL, as a crash: resolves once it is gone. */
  kill(): Promise<void>;
  /** Resolves when the process has exited, however. */
  readonly exited: Promise<AppExit>;
  /** The most memory the process has held so far (VmHWM), in bytes; 0 once it has exited. */
  peakRssBytes(): number;
}

/** Output lines of an app shown once it is being stopped; the rest are only counted. */
const STOPPING_LINES = 5;

/** App processes still running, so a Ctrl-C handler can end them. */
const live = new Set<ChildProcess>();

/** Kills every app process started here (SIGKILL), for a Ctrl-C handler. */
export function killAppProcesses(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/**
 * Starts `node dist/apps/<name>/main.js` as a child process with `env` added to this process's
 * environment, its output prefixed with `[<name>]`, and resolves once GET `<port>/health/ready` answers
 * 200 (the api's `PORT`, the worker's `WORKER_HEALTH_PORT`: the caller puts it in `env`). Rejects
 * (and kills it) if it exits first or is not healthy within `timeoutMs`. Node gets the app's
 * production options (productionNodeArgs), then `nodeArgs` (e.g. `--cpu-prof`), then the script.
 */
export async function startApp(
  name: AppName,
  env: Record<string, string>,
  port: number,
  { timeoutMs = 60_000, nodeArgs = [] }: { timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<AppProcess> {
  const started = performance.now();
  const args = [...productionNodeArgs(name), ...nodeArgs, APP_ENTRIES[name]];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  // Once stopping, only the first few lines are shown: a worker stopped with work in flight
  // warns once per interrupted delivery, which would bury the figures printed just before.
  let linesLeft = Number.POSITIVE_INFINITY;
  let suppressed = 0;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (linesLeft-- > 0) console.error(`  [${name}] ${line}`);
      else suppressed++;
    });
  }
  let hasExited = false;
  // 'close' rather than 'exit': it comes once the output streams have ended too, so every line
  // has been shown or counted.
  const exited = new Promise<AppExit>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  void exited.then(() => {
    hasExited = true;
    live.delete(child);
    if (suppressed > 0) {
      console.error(`  [${name}] ... and ${suppressed} more lines while stopping, not shown`);
    }
  });

  const stop = async (graceMs = 10_000): Promise<void> => {
    linesLeft = Math.min(linesLeft, STOPPING_LINES);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    live.delete(child);
  };

  const terminate = async (): Promise<AppExit & { afterMs: number }> => {
    linesLeft = Math.min(linesLeft, STOPPING_LINES);
    const sent = performance.now();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const exit = await exited;
    live.delete(child);
    return { ...exit, afterMs: performance.now() - sent };
  };
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    live.delete(child);
  };
  const peakRssBytes = (): number => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      return kib ? Number(kib) * 1024 : 0;
    } catch {
      return 0;
    }
  };
  const url = `http://127.0.0.1:${port}`;
  let lastProblem = 'no answer yet';
  while (performance.now() - started < timeoutMs) {
    if (hasExited) {
      throw new Error(
        `the ${name} exited (code ${child.exitCode}, signal ${child.signalCode}) before it was healthy`,
      );
    }
    try {
      const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5000) });
      const body = await response.text();
      if (response.status === 200) {
        return {
          name,
          pid: child.pid ?? 0,
          url,
          startupMs: performance.now() - started,
          stop,
          terminate,
          kill,
          exited,
          peakRssBytes,
        };
      }
      lastProblem = `GET /health/ready answered ${response.status}: ${body.slice(0, 300)}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop(2000);
  throw new Error(`the ${name} was not healthy within ${timeoutMs} ms (${lastProblem})`);
}

/** A TCP port that was free a moment ago, on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port found'))));
    });
  });
}

/** The header line of a started app: where, which pid, how long it took, and whether it was built. */
export function startedLine(app: AppProcess, build: BuildOutcome): string {
  const built = build.reason
    ? ` (built first in ${formatSeconds(build.elapsedMs)})`
    : ' (build up to date)';
  return `${app.url}, pid ${app.pid}, healthy after ${formatSeconds(app.startupMs)}${built}`;
}
