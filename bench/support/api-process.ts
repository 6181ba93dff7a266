import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const REPO_ROOT = join(__dirname, '..', '..');
export const API_ENTRY = join(REPO_ROOT, 'dist', 'apps', 'api', 'main.js');

/** What the api bundle is built from: its sources, the libraries' and the build configuration. */
const SOURCE_DIRS = ['apps/api/src', 'libs'];
const BUILD_FILES = [
  'package-lock.json',
  'nest-cli.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'apps/api/tsconfig.app.json',
];
/** Tests and test helpers are not part of the bundle (apps/api/tsconfig.app.json excludes them). */
const NOT_BUILT = /(\.spec\.ts|-spec\.ts)$|\/testing\//;

/** The newest source the api bundle depends on, with its modification time. */
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
  /** Why it was (re)built, or undefined when the bundle was up to date. */
  reason?: string;
  elapsedMs: number;
}

/**
 * Runs `npm run build` when dist/apps/api/main.js is missing or older than a source it is built
 * from, with its output shown. Throws if the build fails.
 */
export function ensureApiBuilt(): BuildOutcome {
  let reason: string | undefined;
  if (!existsSync(API_ENTRY)) {
    reason = 'dist/apps/api/main.js is missing';
  } else {
    const built = statSync(API_ENTRY).mtimeMs;
    const newest = newestSource();
    if (newest.mtimeMs > built) {
      reason = `${newest.path.slice(REPO_ROOT.length + 1)} is newer than dist/apps/api/main.js`;
    }
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

export interface ApiProcess {
  url: string;
  pid: number;
  /** Time from spawning to the first 200 of GET /health. */
  startupMs: number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/** Api processes still running, so a Ctrl-C handler can end them. */
const live = new Set<ChildProcess>();

/** Kills every api process this benchmark started (SIGKILL), for a Ctrl-C handler. */
export function killApiProcesses(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/**
 * Starts `node dist/apps/api/main.js` as a child process with `env` added to this process's
 * environment, its output prefixed with `[api]`, and resolves once GET /health answers 200.
 * Rejects (and kills it) if it exits first or is not healthy within `timeoutMs`.
 */
export async function startApi(
  env: Record<string, string>,
  port: number,
  timeoutMs = 60_000,
): Promise<ApiProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, [API_ENTRY], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.error(`  [api] ${line}`));
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  void exited.then(() => live.delete(child));

  const stop = async (graceMs = 10_000): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    live.delete(child);
  };

  const url = `http://127.0.0.1:${port}`;
  let lastProblem = 'no answer yet';
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  while (performance.now() - started < timeoutMs) {
    if (hasExited) {
      throw new Error(
        `the api exited (code ${child.exitCode}, signal ${child.signalCode}) before it was healthy`,
      );
    }
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) });
      const body = await response.text();
      if (response.status === 200) {
        return { url, pid: child.pid ?? 0, startupMs: performance.now() - started, stop };
      }
      lastProblem = `GET /health answered ${response.status}: ${body.slice(0, 300)}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop(2000);
  throw new Error(`the api was not healthy within ${timeoutMs} ms (${lastProblem})`);
}
