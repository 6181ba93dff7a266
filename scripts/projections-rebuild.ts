/**
 * Rebuilds a durable projection from the whole event log while the api keeps serving it:
 *
 *   npm run projections:rebuild -- <name>
 *
 * The projection is replayed from position 0 into a fresh collection beside the live one, then
 * swapped in by inserting its generation marker (ProjectionRebuilder); a second rebuild of the same
 * projection meanwhile is refused. Running apis keep answering from the old collection until their
 * runners see the marker (within a poll interval), then continue in the new one. The old
 * collection is dropped after a grace period, which this command waits out, so that queries
 * already resolved to it can finish. The projections and the upcasters come from the projection
 * registry the apps use (DURABLE_PROJECTIONS, EVENT_UPCASTERS), so this command rebuilds what the
 * api runs and reads every event in the shape the apps read it.
 *
 * Connects to MONGODB_URI as loadConfig resolves it (the embedded local database when unset).
 * Exit codes: 0 rebuilt, 1 the rebuild failed, 2 bad arguments or an unknown projection,
 * 78 bad configuration.
 */
import { parseArgs } from 'node:util';
import mongoose, { type Connection } from 'mongoose';
import { ConfigurationError, loadConfig } from '@app/config';
import {
  CheckpointStore,
  EventStore,
  ProjectionRebuilder,
  SystemClock,
  UpcasterRegistry,
  type DurableProjection,
  type RebuildResult,
} from '@app/event-store';
import { redact } from '@app/platform';
import { DURABLE_PROJECTIONS, EVENT_UPCASTERS } from '@app/webhooks';

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface ProjectionsRebuildOptions {
  /** The projections that can be rebuilt, by name (default: the durable projections registry). */
  projections?: Readonly<Record<string, () => DurableProjection>>;
  /**
   * How long the previous collection stays before it is dropped. Default: 5 s, or four of the
   * api's poll intervals if that is longer, so that the live runner has moved to the new one.
   */
  dropDelayMs?: number;
  /** The upcasters to read events with (default: those the apps register). */
  upcasters?: UpcasterRegistry;
}

const MIN_DROP_DELAY_MS = 5000;

export function usage(names: string[]): string {
  return `usage: npm run projections:rebuild -- <name>

Rebuilds a durable projection from the event log into a new collection beside the live one and
swaps it in; the running api keeps answering and follows the swap.

Projections: ${names.join(', ')}`;
}

/**
 * The upcasters the apps read the log with: the same list they give EventStoreModule.forRoot.
 */
export function appUpcasters(): UpcasterRegistry {
  return new UpcasterRegistry().registerAll(EVENT_UPCASTERS);
}

/**
 * Rebuilds `projection` on an open connection (ProjectionRebuilder: new collection, swap, drop of
 * the previous one after `dropDelayMs`).
 */
export async function rebuildProjection(
  connection: Connection,
  projection: DurableProjection,
  {
    dropDelayMs,
    leaseTtlMs,
    upcasters = appUpcasters(),
  }: { dropDelayMs: number; leaseTtlMs?: number; upcasters?: UpcasterRegistry },
): Promise<RebuildResult> {
  const store = new EventStore(connection, new SystemClock(), upcasters);
  await store.init();
  const rebuilder = new ProjectionRebuilder(store, new CheckpointStore(connection), connection);
  return rebuilder.rebuild(projection, { dropDelayMs, leaseTtlMs });
}

/** The result as the command prints it. */
export function formatResult(result: RebuildResult): string {
  const seconds = Math.max(result.durationMs, 1) / 1000;
  const rows: [string, string | number][] = [
    ['collection', result.collection],
    ['previous collection', result.previousCollection],
    ['generation', result.generation],
    ['position', result.position],
    ['events', result.events],
    ['duration', `${result.durationMs} ms`],
    ['events/s', Math.round(result.events / seconds)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `rebuilt ${result.projection}`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
  ].join('\n');
}

/** Runs the command; resolves to its exit code. */
export async function runProjectionsRebuild(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: Output,
  options: ProjectionsRebuildOptions = {},
): Promise<number> {
  const projections = options.projections ?? DURABLE_PROJECTIONS;
  const names = Object.keys(projections).sort();
  const fail = (message: string) => {
    out.stderr(`projections:rebuild: ${message}\n\n${usage(names)}\n`);
    return 2;
  };

  let positionals: string[];
  let help: boolean | undefined;
  try {
    ({
      positionals,
      values: { help },
    } = parseArgs({
      args: argv,
      options: { help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    return fail((error as Error).message);
  }
  if (help) {
    out.stdout(`${usage(names)}\n`);
    return 0;
  }
  if (positionals.length !== 1) return fail('name exactly one projection to rebuild');
  const [name] = positionals;
  const create = Object.hasOwn(projections, name) ? projections[name] : undefined;
  if (!create) return fail(`unknown projection "${name}"; known: ${names.join(', ')}`);

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    out.stderr(`projections:rebuild: ${error.message}\n`);
    return 78;
  }
  const dropDelayMs =
    options.dropDelayMs ?? Math.max(MIN_DROP_DELAY_MS, 4 * config.projectionPollIntervalMs);

  const connection = mongoose.createConnection(config.mongodbUri, {
    serverSelectionTimeoutMS: 10_000,
    autoIndex: false,
  });
  try {
    await connection.asPromise();
    out.stdout(`rebuilding ${name} on ${redact(config.mongodbUri)}\n`);
    const result = await rebuildProjection(connection, create(), {
      dropDelayMs,
      leaseTtlMs: config.projectionLeaseTtlMs,
      upcasters: options.upcasters,
    });
    out.stdout(`${formatResult(result)}\n`);

    // The rebuilder drops the previous collection after the delay, on a timer that does not keep
    // a process alive: stay until then, and make sure it is gone before disconnecting.
    if (dropDelayMs > 0) {
      out.stdout(
        `dropping ${result.previousCollection} in ${Math.ceil(dropDelayMs / 1000)} s, once the api has moved to ${result.collection}\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, dropDelayMs));
    }
    await connection.db
      ?.dropCollection(result.previousCollection)
      .catch(() => undefined /* dropped already */);
    return 0;
  } catch (error) {
    out.stderr(`projections:rebuild: rebuilding ${name} failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

if (require.main === module) {
  void runProjectionsRebuild(process.argv.slice(2), process.env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then((code) => {
    process.exitCode = code;
  });
}
