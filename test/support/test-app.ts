import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import mongoose from 'mongoose';
import { GracefulShutdown } from '@app/platform';

/** A uniquely named database on the server at process.env.MONGODB_URI. */
export interface TestDatabaseAddress {
  name: string;
  uri: string;
}

export function testDatabaseAddress(label: string): TestDatabaseAddress {
  const base = process.env.MONGODB_URI;
  if (!base) throw new Error('MONGODB_URI is not set: run the tests through jest (global setup)');
  const name = `test_${label.replace(/[^a-z0-9]/gi, '_')}_${randomBytes(4).toString('hex')}`;
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { name, uri: url.toString() };
}

export interface TestAppOptions {
  /** Names the test database. */
  label: string;
  /** Overrides MONGODB_URI as the app sees it (e.g. through a proxy); defaults to the test database. */
  mongodbUri?: (database: TestDatabaseAddress) => string;
  /** Further environment for the app's configuration (set only while the app is created). */
  env?: Record<string, string>;
  /** Applied before listening, as main.ts does (global prefix and the like). */
  configure?: (app: INestApplication) => void;
}

export interface TestApp {
  app: INestApplication;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  database: TestDatabaseAddress;
  /** Closes the app, drops its database and removes its local state folder. */
  close(): Promise<void>;
}

/**
 * Boots a real app module in-process on a free port, against the real database (a fresh, uniquely
 * named one) and the real Kafka at process.env.KAFKA_BROKERS. The app's ConfigModule reads
 * process.env while the app is created, so the test settings are put there for that moment only and
 * the previous values restored afterwards. Local keys go to a temporary LOCAL_STATE_DIR.
 */
export async function startTestApp(
  module: Type<unknown>,
  options: TestAppOptions,
): Promise<TestApp> {
  const database = testDatabaseAddress(options.label);
  const stateDir = mkdtempSync(join(tmpdir(), `${options.label}-state-`));
  const env: Record<string, string> = {
    MONGODB_URI: options.mongodbUri ? options.mongodbUri(database) : database.uri,
    LOCAL_STATE_DIR: stateDir,
    ...options.env,
  };
  const removeState = () => rmSync(stateDir, { recursive: true, force: true });

  let app: INestApplication;
  const previous = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  try {
    Object.assign(process.env, env);
    // abortOnError: false makes a start-up failure reject here instead of exiting the test process.
    app = await NestFactory.create(module, { logger: ['error', 'warn'], abortOnError: false });
  } catch (error) {
    removeState();
    throw error;
  } finally {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }

  try {
    options.configure?.(app);
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close();
    removeState();
    throw error;
  }
  const url = await app.getUrl();

  return {
    app,
    url,
    database,
    async close() {
      try {
        // As runApp does on SIGTERM: the app's drain first (its work in flight is recorded),
        // then Nest's shutdown hooks close connections.
        await drain(app);
        await app.close();
      } finally {
        await dropDatabase(database.uri);
        removeState();
      }
    },
  };
}

/** How long a test app's drain may take at most (attempts in flight finish or are handed back). */
const TEST_DRAIN_MS = 10_000;

async function drain(app: INestApplication): Promise<void> {
  let shutdown: GracefulShutdown | undefined;
  try {
    shutdown = app.get(GracefulShutdown, { strict: false });
  } catch {
    // An app without the lifecycle module has nothing to drain.
  }
  await shutdown?.drain(TEST_DRAIN_MS);
}

async function dropDatabase(uri: string): Promise<void> {
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await connection.asPromise();
    await connection.dropDatabase();
  } catch {
    // Best effort: a leftover uniquely named test database harms nothing.
  } finally {
    await connection.close();
  }
}
