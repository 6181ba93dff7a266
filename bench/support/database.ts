import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import mongoose, { type Connection } from 'mongoose';

const REPO_ROOT = join(__dirname, '..', '..');

/**
 * The server to benchmark: MONGODB_URI when set, else the project's local FerretDB, started with
 * `scripts/infra start` (like the test tiers' global setup) and found with `scripts/infra env`.
 */
export function resolveMongoUri(): string {
  const fromEnv = process.env.MONGODB_URI?.trim();
  if (fromEnv) return fromEnv;
  const infra = join(REPO_ROOT, 'scripts', 'infra');
  console.log('MONGODB_URI is not set: starting the local infrastructure (scripts/infra start)');
  execFileSync('bash', [infra, 'start'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exports = execFileSync('bash', [infra, 'env'], { encoding: 'utf8' });
  for (const match of exports.matchAll(/^export (.*)$/gm)) {
    for (const assignment of match[1].split(/\s+/)) {
      const [, name, value] = /^(\w+)=(.*)$/.exec(assignment) ?? [];
      if (name === 'MONGODB_URI' && value) return value.replace(/^["']|["']$/g, '');
    }
  }
  throw new Error(`scripts/infra env printed no MONGODB_URI:\n${exports}`);
}

/** A fresh, uniquely named database name for one benchmark run (`<prefix>_<time>_<random>`). */
export function uniqueDatabaseName(prefix = 'bench_event_store'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/**
 * `uri` with its database path set to `dbName`, for a process that takes only a URI (the api).
 * Works on the text, so several hosts (`h1:27017,h2:27017`), `mongodb+srv://` and options stay as
 * given. With credentials the path database is also where they are checked, unless `authSource`
 * says otherwise: then the old one (or `admin`, the default without one) becomes the authSource.
 */
export function withDatabase(uri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/([^/?]*))(?:\/([^?]*))?(?:\?(.*))?$/.exec(uri);
  if (!match) throw new Error(`Not a MongoDB URI: ${uriHosts(uri)}`);
  const [, prefix, authority, path = '', query = ''] = match;
  const options = query.split('&').filter(Boolean);
  if (authority.includes('@') && !options.some((option) => /^authSource=/i.test(option))) {
    options.push(`authSource=${path === '' ? 'admin' : path}`);
  }
  return `${prefix}/${dbName}${options.length > 0 ? `?${options.join('&')}` : ''}`;
}

/**
 * Connects to database `dbName` on the server of `uri`. The database is chosen with the `dbName`
 * option rather than by rewriting the URI, so credentials and their authSource stay as given.
 */
export async function connect(uri: string, dbName: string, maxPoolSize = 10): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    autoIndex: false,
    autoCreate: false,
    maxPoolSize,
    serverSelectionTimeoutMS: 10_000,
  });
  await connection.asPromise();
  return connection;
}

/** The host list of a MongoDB URI, without scheme, credentials, path or options. */
export function uriHosts(uri: string): string {
  const withoutScheme = uri.replace(/^mongodb(\+srv)?:\/\//, '');
  const authority = withoutScheme.split(/[/?]/, 1)[0];
  const hosts = authority.slice(authority.lastIndexOf('@') + 1);
  return uri.startsWith('mongodb+srv://') ? `${hosts} (SRV)` : hosts;
}

export interface ServerDescription {
  /** e.g. "FerretDB v1.24.2 on PostgreSQL 15.18" or "MongoDB 7.0.14". */
  product: string;
  /** The MongoDB version the server reports (FerretDB reports the one it emulates). */
  version: string;
  /** True when the server is FerretDB but its backend could not be determined. */
  backendUnknown: boolean;
}

/**
 * What the server is. FerretDB answers `buildInfo` with `ferretdbVersion`, and its startup
 * warnings (`getLog: "startupWarnings"`) say "Powered by FerretDB vX and <backend> <version>."
 */
export async function describeServer(connection: Connection): Promise<ServerDescription> {
  const db = connection.db;
  if (!db) throw new Error('The database connection is not open');
  const admin = db.admin();
  const info = await admin.command({ buildInfo: 1 });
  const version = typeof info.version === 'string' ? info.version : 'unknown';
  const ferretdb = typeof info.ferretdbVersion === 'string' ? info.ferretdbVersion : undefined;
  if (!ferretdb) return { product: `MongoDB ${version}`, version, backendUnknown: false };

  let backend: string | undefined;
  try {
    const log = await admin.command({ getLog: 'startupWarnings' });
    const lines: unknown[] = Array.isArray(log.log) ? log.log : [];
    for (const line of lines) {
      const match = /Powered by FerretDB \S+ and (.+?)\.?$/.exec(logMessage(line));
      if (match) backend = match[1];
    }
  } catch {
    // Not fatal: the backend is only informative.
  }
  return {
    product: backend ? `FerretDB ${ferretdb} on ${backend}` : `FerretDB ${ferretdb}`,
    version,
    backendUnknown: !backend,
  };
}

/** The text of one `getLog` line: a JSON log entry (its `msg`) on recent servers, else the line. */
function logMessage(line: unknown): string {
  const text = String(line);
  try {
    const entry = JSON.parse(text) as { msg?: unknown };
    return typeof entry.msg === 'string' ? entry.msg : text;
  } catch {
    return text;
  }
}

/** Drops the benchmark's database and closes the connection; never throws. */
export async function dropAndClose(connection: Connection | undefined): Promise<boolean> {
  if (!connection) return true;
  let dropped = true;
  try {
    await connection.dropDatabase();
  } catch (error) {
    dropped = false;
    console.error(`could not drop database ${connection.name}: ${(error as Error).message}`);
  }
  await connection.close().catch(() => undefined);
  return dropped;
}

/**
 * The "server:" line of a benchmark's header. FerretDB names its backend only once it has been
 * used, so call this after the first writes; LOCAL_FERRETDB_BACKEND says what was asked for.
 */
export function serverLine(server: ServerDescription): string {
  const asked = process.env.LOCAL_FERRETDB_BACKEND;
  const hint = !server.backendUnknown
    ? ''
    : asked
      ? ` (backend unknown; LOCAL_FERRETDB_BACKEND=${asked})`
      : ' (backend unknown)';
  return `${server.product}${hint}, MongoDB wire version ${server.version}`;
}

/** What every app a benchmark starts needs: its database, the broker, fresh keys, quiet logs. */
export interface BenchAppSettings {
  /** The apps' environment; add the ports and the benchmark's own settings to it. */
  env: Record<string, string>;
  /** The token secret in `env`, for the benchmark's own tokens. */
  jwtSecret: string;
}

export function benchAppSettings(options: {
  mongoUri: string;
  kafkaBrokers: string;
  dbName: string;
  stateDir: string;
}): BenchAppSettings {
  const jwtSecret = randomBytes(36).toString('base64url'); // 48 characters
  return {
    jwtSecret,
    env: {
      MONGODB_URI: withDatabase(options.mongoUri, options.dbName),
      KAFKA_BROKERS: options.kafkaBrokers,
      AUTH_JWT_SECRET: jwtSecret,
      SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      LOCAL_STATE_DIR: options.stateDir,
      LOG_LEVEL: 'warn',
      // The apps' own producers (dead letters) would warn about kafkajs 2's partitioner change.
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    },
  };
}
