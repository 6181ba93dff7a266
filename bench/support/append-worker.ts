/**
 * One concurrent writer of the event-store benchmark, run as its own process (forked by
 * bench/event-store.bench.ts) with its own connection and EventStore, so its appends contend for
 * global positions with the other writers exactly as separate service instances would.
 *
 * Protocol: connect, warm up, send `ready`; on `go`, append and send `done` (or `error`), exit.
 */
import type { Connection } from 'mongoose';
import { appendSequentially, countingStore, warmUp } from './append-loop';
import { connect } from './database';
import type { GoMessage, WorkerConfig, WorkerMessage } from './messages';
import { timed } from './stats';

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send)
      return reject(new Error('append-worker must be started with child_process.fork'));
    process.send(message, (error: Error | null) => (error ? reject(error) : resolve()));
  });
}

function waitForGo(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: GoMessage): void => {
      if (message.type !== 'go') return;
      process.off('message', onMessage);
      resolve();
    };
    process.on('message', onMessage);
  });
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as WorkerConfig;
  const prefix = `bench-w${config.index}`;
  let connection: Connection | undefined;
  try {
    connection = await connect(config.uri, config.dbName, 4);
    const { store, attempts } = countingStore(connection);
    await warmUp(store, prefix);
    const go = waitForGo();
    await send({ type: 'ready' });
    await go;
    const { result, elapsedMs } = await timed(() =>
      appendSequentially(store, attempts, prefix, config.appends, config.streams),
    );
    await send({ type: 'done', appends: config.appends, elapsedMs, ...result });
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

// The parent going away (crash, Ctrl-C) ends the worker too.
process.on('disconnect', () => process.exit(1));

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    await send({ type: 'error', message }).catch(() => undefined);
    process.exit(1);
  },
);
