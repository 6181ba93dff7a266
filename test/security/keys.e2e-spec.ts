import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import {
  APP_ENTRIES,
  ensureAppsBuilt,
  freePort,
  type AppName,
} from '../../bench/support/app-processes';
import { testDatabaseAddress } from '../support/test-app';
import { eventually } from '../support/within';

// Keys that never appear by accident (issue 13, "Keys"): the built apps as the Docker image runs
// them (NODE_ENV=production) refuse to start without explicit keys, and generate them only in local
// mode. The worker holds no token key at all.

const START_TIMEOUT_MS = 30_000;

interface Run {
  /** stdout and stderr so far. */
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Spawns a built app with exactly `env` on top of a production-like environment: no keys, no local mode. */
function run(app: AppName, env: Record<string, string>): Run {
  let output = '';
  const child = spawn(process.execPath, [APP_ENTRIES[app]], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      // Empty counts as unset: nothing of the test runner's own environment leaks in.
      LOCAL_MODE: '',
      AUTH_JWT_SECRET: '',
      AUTH_JWT_PUBLIC_KEY: '',
      AUTH_JWT_JWKS_FILE: '',
      SECRETS_ENCRYPTION_KEY: '',
      LOG_LEVEL: 'log',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  return {
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves once GET `url` answers 200; fails if the process exits first or it takes too long. */
async function answers(process: Run, url: string): Promise<void> {
  const ok = async () => {
    try {
      return (await fetch(url, { signal: AbortSignal.timeout(2000) })).status === 200;
    } catch {
      return false; // Not listening yet.
    }
  };
  const ready = eventually(ok, `a 200 from ${url}`, START_TIMEOUT_MS);
  const exitedFirst = process.exited.then(() => {
    throw new Error(`exited before answering:\n${process.output()}`);
  });
  // Whichever loses settles later, unobserved.
  ready.catch(() => undefined);
  exitedFirst.catch(() => undefined);
  await Promise.race([ready, exitedFirst]);
}

async function dropDatabase(database: { uri: string; name: string }): Promise<void> {
  const client = new MongoClient(database.uri);
  try {
    await client.db(database.name).dropDatabase();
  } finally {
    await client.close();
  }
}

describe('security: keys never appear by accident (the built apps)', () => {
  let stateDir: string;
  const keyFiles = () =>
    existsSync(join(stateDir, 'keys')) ? readdirSync(join(stateDir, 'keys')).sort() : [];

  beforeAll(() => {
    ensureAppsBuilt();
  }, 600_000);
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'security-keys-'));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('Given NODE_ENV=production and no keys, When the api starts, Then it exits 78 naming AUTH_JWT_SECRET and SECRETS_ENCRYPTION_KEY and how to fix it, and writes no key', async () => {
    const api = run('api', { LOCAL_STATE_DIR: stateDir, PORT: String(await freePort()) });

    expect(await api.exited).toBe(78);
    expect(api.output()).toContain('AUTH_JWT_SECRET is not set');
    expect(api.output()).toContain('SECRETS_ENCRYPTION_KEY is not set');
    expect(api.output()).toContain('LOCAL_MODE=true');
    expect(keyFiles()).toEqual([]);
  });

  it('Given NODE_ENV=production, no keys and LOCAL_MODE=true, When the api starts, Then it is ready, with both keys generated under LOCAL_STATE_DIR/keys and said so', async () => {
    const database = testDatabaseAddress('security_keys');
    const port = await freePort();
    const api = run('api', {
      LOCAL_MODE: 'true',
      LOCAL_STATE_DIR: stateDir,
      MONGODB_URI: database.uri,
      PORT: String(port),
    });
    try {
      await answers(api, `http://127.0.0.1:${port}/health/ready`);

      expect(keyFiles()).toEqual(['auth-jwt-secret', 'secrets-encryption-key']);
      expect(api.output()).toMatch(
        /local mode: AUTH_JWT_SECRET and SECRETS_ENCRYPTION_KEY generated under .*\/keys/,
      );
    } finally {
      await api.stop();
      await dropDatabase(database);
    }
  });

  it('Given NODE_ENV=production and no keys, When the worker starts, Then it exits 78 naming SECRETS_ENCRYPTION_KEY only: it needs no token key', async () => {
    const worker = run('worker', {
      LOCAL_STATE_DIR: stateDir,
      WORKER_HEALTH_PORT: String(await freePort()),
    });

    expect(await worker.exited).toBe(78);
    expect(worker.output()).toContain('SECRETS_ENCRYPTION_KEY is not set');
    expect(worker.output()).not.toContain('AUTH_JWT');
    expect(keyFiles()).toEqual([]);
  });

  it('Given NODE_ENV=production and only SECRETS_ENCRYPTION_KEY, When the worker starts, Then it runs without any token key and writes none', async () => {
    const suffix = randomBytes(4).toString('hex');
    const database = testDatabaseAddress('security_keys_worker');
    const port = await freePort();
    const worker = run('worker', {
      LOCAL_STATE_DIR: stateDir,
      SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      MONGODB_URI: database.uri,
      // Topics and a group of its own: it must not take other tests' events.
      KAFKA_TOPICS: `security.${suffix}.licenses`,
      KAFKA_DEAD_LETTER_TOPIC: `security.${suffix}.dead-letter`,
      KAFKA_CONSUMER_GROUP: `security-${suffix}`,
      WORKER_HEALTH_PORT: String(port),
    });
    try {
      await answers(worker, `http://127.0.0.1:${port}/health/live`);

      expect(keyFiles()).toEqual([]);
      expect(worker.output()).not.toContain('AUTH_JWT');
    } finally {
      await worker.stop();
      await dropDatabase(database);
    }
  });
});
