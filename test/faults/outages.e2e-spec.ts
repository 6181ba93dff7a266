import {
  startInfraInstance,
  type InfraInstance,
  type LocalServer,
} from '../support/infra-instance';
import type { AppProcess } from '../../bench/support/app-processes';
import { FaultRig, report, type Webhook } from './fault-rig';

const BURST = 300;
/** How long each server stays down: long enough for every client to notice and retry. */
const OUTAGE_MS = 5_000;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** Resolves with how long it took until `app` answers ready again. */
async function readyAgain(app: AppProcess, timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const ok = await fetch(`${app.url}/health/ready`, { signal: AbortSignal.timeout(2000) })
      .then((response) => response.status === 200)
      .catch(() => false);
    if (ok) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`${app.name} not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('fault suite: the broker and the database stopped and restarted mid-burst', () => {
  let infra: InfraInstance;
  let rig: FaultRig;
  let webhooks: Webhook[];

  beforeAll(async () => {
    // Servers of this file's own, so stopping them disturbs no other test.
    infra = await startInfraInstance('fault-outages');
    rig = await FaultRig.start({
      label: 'outages',
      servers: { mongodbUri: infra.mongodbUri, kafkaBrokers: infra.kafkaBrokers },
    });
    await rig.startApi();
    await rig.startWorker();
    webhooks = [await rig.createWebhook('One', '/one'), await rig.createWebhook('Two', '/two')];
    await rig.whenWorkersKnow(webhooks);
    // Slow enough that the burst is still being delivered when the server goes away.
    rig.respond(() => ({ status: 200, body: 'ok', delayMs: 30 }));
  }, 240_000);

  afterAll(async () => {
    await rig?.close();
    await infra?.destroy();
  }, 120_000);

  async function outage(server: LocalServer, scenario: string): Promise<void> {
    const events = rig.events(BURST);
    const pairs = rig.pairs(events, webhooks);
    const before = rig.receiver.requests.length;
    await rig.publish(events);
    await rig.receiver.waitFor(() => rig.receiver.requests.length >= before + BURST / 2, 60_000);

    await infra.stop(server);
    const stoppedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await infra.start(server);
    const backAt = Date.now();
    const [worker] = rig.workers;
    const [api] = rig.apis;
    const workerReady = await readyAgain(worker);
    const apiReady = await readyAgain(api);
    const { ledger } = await rig.ledgerClosed(pairs, 120_000);

    report(scenario, {
      events: BURST,
      pairs: ledger.published,
      missing: ledger.missing,
      delivered: ledger.delivered,
      failed: ledger.failed,
      duplicates: ledger.duplicates,
      'down for': seconds(backAt - stoppedAt),
      'worker ready again after': seconds(workerReady),
      'api ready again after': seconds(apiReady),
      'ledger closed after the server was back': seconds(Date.now() - backAt),
      'worker peak RSS': mb(worker.peakRssBytes()),
    });
    expect(ledger).toMatchObject({ missing: 0, delivered: pairs.length, failed: 0 });
    // Nothing was sent that is not recorded, nor recorded twice.
    expect(ledger.attemptsRecorded).toBe(ledger.requests);
  }

  it('Kafka stopped and started again: the worker rejoins and delivers the rest, nothing lost', async () => {
    await outage('kafka', 'Kafka broker restarted mid-burst');
  }, 300_000);

  it('the database stopped and started again: every process reconnects on its own and nothing received is left unrecorded', async () => {
    await outage('ferretdb', 'database (FerretDB) restarted mid-burst');
  }, 300_000);
});
