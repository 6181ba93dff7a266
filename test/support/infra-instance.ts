import { execFile } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const INFRA = resolve(ROOT, 'scripts/infra');
// Above the script's own waits (90 s per server), so the script reports a slow start itself.
const COMMAND_TIMEOUT_MS = 240_000;

export type LocalServer = 'ferretdb' | 'kafka';

/**
 * A FerretDB and a Kafka broker of a test's own (`scripts/infra` with LOCAL_INFRA_INSTANCE), which
 * it may stop, kill and restart without disturbing the shared servers every other test file uses.
 * Data survives stop/kill and start; `destroy` removes it.
 */
export interface InfraInstance {
  readonly name: string;
  /** e.g. mongodb://127.0.0.1:<port>/ (no database name: pick one with `client.db(name)`). */
  readonly mongodbUri: string;
  /** 127.0.0.1:<port> */
  readonly kafkaBrokers: string;
  /** Graceful: SIGTERM, and waits until the server has exited. */
  stop(server: LocalServer): Promise<void>;
  /** SIGKILL, as a crash would; resolves once the process is gone. */
  kill(server: LocalServer): Promise<void>;
  /** Resolves once the server answers clients again. */
  start(server: LocalServer): Promise<void>;
  /** Stops both servers and removes all their data (files and PostgreSQL database). */
  destroy(): Promise<void>;
}

/** `scripts/infra` exited with an error; its output has been written to stderr. */
export class InfraCommandFailed extends Error {
  constructor(
    readonly instance: string,
    readonly command: string,
    detail: string,
  ) {
    super(`scripts/infra ${command} (LOCAL_INFRA_INSTANCE=${instance}) failed: ${detail}`);
    this.name = 'InfraCommandFailed';
  }
}

/**
 * Starts a named instance on free ports (both servers), installing nothing new: the binaries are
 * the ones the default instance installed (the int tier's global setup makes sure of that when it
 * starts the shared servers). An instance of that name left behind by a run that crashed is
 * destroyed first: it would otherwise be reused on the ports it had then.
 */
export async function startInfraInstance(name: string): Promise<InfraInstance> {
  const [mongoPort, kafkaPort, controllerPort] = await freePorts(3);
  const env = {
    LOCAL_INFRA_INSTANCE: name,
    LOCAL_MONGO_PORT: String(mongoPort),
    LOCAL_KAFKA_PORT: String(kafkaPort),
    LOCAL_KAFKA_CONTROLLER_PORT: String(controllerPort),
  };
  const infra = (...args: string[]) => runInfra(name, env, args);

  await infra('destroy');
  try {
    await infra('start');
  } catch (error) {
    // Never leave half an instance running (say FerretDB up, Kafka failed).
    await infra('destroy').catch(() => undefined);
    throw error;
  }
  return {
    name,
    mongodbUri: `mongodb://127.0.0.1:${mongoPort}/`,
    kafkaBrokers: `127.0.0.1:${kafkaPort}`,
    stop: (server) => infra('stop', server),
    kill: (server) => infra('kill', server),
    start: (server) => infra('start', server),
    destroy: () => infra('destroy'),
  };
}

function runInfra(instance: string, env: Record<string, string>, args: string[]): Promise<void> {
  const command = args.join(' ');
  return new Promise((done, fail) => {
    execFile(
      'bash',
      [INFRA, ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: COMMAND_TIMEOUT_MS },
      (error, stdout, stderr) => {
        if (!error) return done();
        // The script's progress lines are only noise while it works; on failure they are the
        // diagnosis (which server, the end of its log).
        process.stderr.write(`--- scripts/infra ${command} (instance ${instance}) ---\n`);
        process.stderr.write(`${stdout}${stderr}`);
        const lastError = `${stderr}`.match(/ERROR: .*/g)?.pop();
        const exit = error.killed ? `killed after ${COMMAND_TIMEOUT_MS} ms` : `exit ${error.code}`;
        fail(new InfraCommandFailed(instance, command, lastError ?? exit));
      },
    );
  });
}

/**
 * Distinct free ports: the OS picks each (port 0) while all are held, so they cannot repeat.
 * Released right away; the servers bind them a moment later.
 */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((listening, fail) => {
        server.once('error', fail);
        server.listen(0, '127.0.0.1', () => listening());
      });
    }
    return servers.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(
      servers.map((server) => new Promise<void>((closed) => server.close(() => closed()))),
    );
  }
}

/**
 * Runs SQL through `scripts/infra sql` (psql, as the script itself reaches its PostgreSQL cluster)
 * in the database under the default instance's FerretDB, or a named instance's when `env` sets
 * LOCAL_INFRA_INSTANCE; the process's own LOCAL_POSTGRES_PORT, if any, applies. Resolves with
 * psql's output: one line per row, columns separated by `|`, nothing else.
 */
export function infraSql(sql: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((done, fail) => {
    const child = execFile(
      'bash',
      [INFRA, 'sql'],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: COMMAND_TIMEOUT_MS },
      (error, stdout, stderr) => {
        if (!error) return done(`${stdout}`);
        fail(new Error(`scripts/infra sql failed (${error.code ?? 'killed'}): ${stderr}\n${sql}`));
      },
    );
    // From stdin, so that several statements each print their rows (psql -c prints the last only).
    child.stdin?.end(sql);
  });
}
