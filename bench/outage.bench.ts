/**
 * Outage benchmark: how much memory the worker holds while the database is down under load, and
 * whether everything arrives once it is back.
 *
 *   npm run bench:outage                                  # 1,000 events/s, database down 60 s
 *   npm run bench:outage -- --rate 500 --webhooks 2 --down 30 --before 10 --after 20
 *
 * Runs the built api and worker (building first when needed) against a FerretDB and Kafka of its
 * own (`scripts/infra` instance `bench-outage`, destroyed at the end), --webhooks webhooks on an HTTPS
 * receiver in this process, and publishes `license.created` events at --rate per second for
 * --before + --down + --after seconds, stopping FerretDB after --before seconds and starting it
 * again --down seconds later. Samples the worker's resident memory every second. Prints the
 * events published and received (unique), duplicates, the worker's memory before, during and
 * after the outage (and its peak, VmHWM), and how long the backlog took to drain once the database
 * was back. Exits 1 when an event has not arrived --wait seconds after the last publish.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startInfraInstance } from '../test/support/infra-instance';
import { FaultRig } from '../test/faults/fault-rig';

const SEND_EVERY_MS = 50;

function flags() {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '1000' },
      webhooks: { type: 'string', default: '1' },
      down: { type: 'string', default: '60' },
      before: { type: 'string', default: '10' },
      after: { type: 'string', default: '20' },
      wait: { type: 'string', default: '240' },
    },
  });
  return {
    rate: Number(values.rate),
    webhooks: Number(values.webhooks),
    downMs: Number(values.down) * 1000,
    beforeMs: Number(values.before) * 1000,
    afterMs: Number(values.after) * 1000,
    waitMs: Number(values.wait) * 1000,
  };
}

function rssOf(pid: number): number {
  try {
    const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) * 1024 : 0;
  } catch {
    return 0;
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const options = flags();
  console.log(
    `outage bench: ${options.rate} events/s to ${options.webhooks} webhooks; database down ${options.downMs / 1000} s after ${options.beforeMs / 1000} s; ${options.afterMs / 1000} s after`,
  );
  const infra = await startInfraInstance('bench-outage');
  let rig: FaultRig | undefined;
  let failed = false;
  try {
    rig = await FaultRig.start({
      label: 'bench-outage',
      servers: { mongodbUri: infra.mongodbUri, kafkaBrokers: infra.kafkaBrokers },
      partitions: 6,
      env: { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error' },
    });
    await rig.startApi();
    const worker = await rig.startWorker();
    const webhooks = [];
    for (let n = 0; n < options.webhooks; n++)
      webhooks.push(await rig.createWebhook(`Outage ${n}`, `/w/${n}`));
    await rig.whenWorkersKnow(webhooks);
    console.log(`worker pid ${worker.pid}, ${mb(rssOf(worker.pid))} resident before the run`);

    const published = new Set<string>();
    const samples: { at: number; rss: number }[] = [];
    const started = Date.now();
    const total = options.beforeMs + options.downMs + options.afterMs;
    const sampler = setInterval(
      () => samples.push({ at: Date.now() - started, rss: rssOf(worker.pid) }),
      1000,
    );
    const progress = setInterval(() => {
      void fetch(`${worker.url}/metrics`)
        .then((response) => response.text())
        .then((text) => {
          const gauges = text
            .split('\n')
            .filter((line) =>
              /^(platform_events_in_memory|platform_event_bytes_in_memory|webhook_deliveries_in_memory|platform_events_accepted_total|webhook_delivery_attempts_total)/.test(
                line,
              ),
            )
            .join('; ');
          return fetch(`${worker.url}/health/ready`)
            .then((response) => response.json())
            .then((ready: { error?: Record<string, { message?: string }> }) => {
              const down = Object.entries(ready.error ?? {})
                .map(([part, detail]) => `${part}: ${detail.message ?? 'down'}`)
                .join(', ');
              console.log(
                `${((Date.now() - started) / 1000).toFixed(0)} s: received ${rig!.receiver.requests.length}; ${gauges}; ${down ? `not ready (${down})` : 'ready'}`,
              );
            });
        })
        .catch(() => undefined);
    }, 5000);
    let downAt = 0;
    let backAt = 0;
    const outage = (async () => {
      await sleep(options.beforeMs);
      downAt = Date.now() - started;
      await infra.stop('ferretdb');
      console.log(`database stopped at ${(downAt / 1000).toFixed(1)} s`);
      await sleep(Math.max(0, options.downMs - (Date.now() - started - downAt)));
      await infra.start('ferretdb');
      backAt = Date.now() - started;
      console.log(`database back at ${(backAt / 1000).toFixed(1)} s`);
    })();
    const perTick = Math.max(1, Math.round((options.rate * SEND_EVERY_MS) / 1000));
    for (let tick = 0; Date.now() - started < total; tick++) {
      const events = rig.events(perTick);
      for (const event of events) published.add(event.id);
      await rig.publish(events);
      const next = started + (tick + 1) * SEND_EVERY_MS;
      if (next > Date.now()) await sleep(next - Date.now());
    }
    await outage;
    const publishedAt = Date.now() - started;
    const expected = published.size * options.webhooks;
    const received = () =>
      new Set(
        rig!.receiver.requests
          .filter((request) => published.has(String(request.headers['webhook-id'])))
          .map((request) => `${String(request.headers['webhook-id'])} ${request.path}`),
      ).size;
    const deadline = Date.now() + options.waitMs;
    while (received() < expected && Date.now() < deadline) await sleep(500);
    const drainedAt = Date.now() - started;
    clearInterval(sampler);
    clearInterval(progress);

    const during = samples.filter((s) => s.at >= downAt && s.at <= backAt).map((s) => s.rss);
    const before = samples.filter((s) => s.at < downAt).map((s) => s.rss);
    const after = samples.filter((s) => s.at > backAt).map((s) => s.rss);
    const got = received();
    const requests = rig.receiver.requests.filter((r) =>
      published.has(String(r.headers['webhook-id'])),
    ).length;
    console.log(`published ${published.size} events in ${(publishedAt / 1000).toFixed(1)} s`);
    console.log(
      `received ${got} of ${published.size} (missing ${published.size - got}), duplicates ${requests - got}`,
    );
    console.log(
      `worker resident memory: before the outage max ${mb(Math.max(0, ...before))}, during it max ${mb(Math.max(0, ...during))}, after it max ${mb(Math.max(0, ...after))}; peak (VmHWM) ${mb(worker.peakRssBytes())}`,
    );
    console.log(
      `everything received ${((drainedAt - backAt) / 1000).toFixed(1)} s after the database was back (${((drainedAt - publishedAt) / 1000).toFixed(1)} s after the last publish)`,
    );
    failed = got < expected;
  } finally {
    await rig?.close();
    await infra.destroy();
  }
  process.exit(failed ? 1 : 0);
}

void main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
