import type { ReceivedRequest } from '../support/receiver';
import { FaultRig, report, type Webhook } from './fault-rig';

const BURST = 300;
/** The grace of the apps in this file (fault-rig's default); a drained worker exits well within. */
const GRACE_MS = 15_000;

/** Answers 503 to the first attempt of each event at `path`, 200 to the next ones. */
function flakyAt(path: string) {
  const seen = new Set<string>();
  return (request: ReceivedRequest) => {
    if (request.path !== path) return { status: 200, body: 'ok', delayMs: 20 };
    const id = String(request.headers['webhook-id']);
    if (seen.has(id)) return { status: 200, body: 'ok', delayMs: 20 };
    seen.add(id);
    return { status: 503, body: 'try later', delayMs: 20 };
  };
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe('fault suite: a worker stopped mid-burst (SIGTERM, SIGKILL, a restart with retries due)', () => {
  let rig: FaultRig;
  let healthy: Webhook;
  let flaky: Webhook;

  beforeAll(async () => {
    rig = await FaultRig.start({ label: 'stops' });
    await rig.startApi();
    await rig.setRetryPolicy([1, 1, 1, 1, 1]);
    healthy = await rig.createWebhook('Healthy', '/healthy');
    flaky = await rig.createWebhook('Flaky', '/flaky');
  }, 180_000);

  afterAll(() => rig?.close(), 60_000);

  it('SIGTERM: the worker drains and exits 0 within its grace period; a new one completes the rest, every request recorded once', async () => {
    rig.respond(flakyAt(flaky.path));
    const first = await rig.startWorker();
    await rig.whenWorkersKnow([healthy, flaky]);
    const events = rig.events(BURST);
    const pairs = rig.pairs(events, [healthy, flaky]);
    const before = rig.receiver.requests.length;

    await rig.publish(events);
    await rig.receiver.waitFor(() => rig.receiver.requests.length >= before + BURST / 2, 60_000);
    const exit = await first.terminate();
    const second = await rig.startWorker();
    const { ledger, afterMs } = await rig.ledgerClosed(pairs, 120_000);

    report('SIGTERM mid-burst, flaky receiver', {
      events: BURST,
      pairs: ledger.published,
      missing: ledger.missing,
      delivered: ledger.delivered,
      failed: ledger.failed,
      duplicates: ledger.duplicates,
      shutdown: `${seconds(exit.afterMs)} (exit ${exit.code})`,
      'ledger closed after the restart': seconds(afterMs),
      'peak RSS of the new worker': mb(second.peakRssBytes()),
    });
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.afterMs).toBeLessThan(GRACE_MS);
    expect(ledger).toMatchObject({ missing: 0, delivered: pairs.length, failed: 0 });
    // A graceful stop loses no attempt record: every request made was recorded, once.
    expect(ledger.attemptsRecorded).toBe(ledger.requests);
    await second.terminate();
  }, 300_000);

  it('SIGKILL: nothing is lost; after a restart every delivery completes, duplicates carry the same webhook-id', async () => {
    rig.respond(flakyAt(flaky.path));
    const first = await rig.startWorker();
    await rig.whenWorkersKnow([healthy, flaky]);
    const events = rig.events(BURST);
    const pairs = rig.pairs(events, [healthy, flaky]);
    const before = rig.receiver.requests.length;

    await rig.publish(events);
    await rig.receiver.waitFor(() => rig.receiver.requests.length >= before + BURST / 2, 60_000);
    await first.kill();
    const killedAt = Date.now();
    const second = await rig.startWorker();
    const { ledger } = await rig.ledgerClosed(pairs, 120_000);

    report('SIGKILL mid-burst, flaky receiver', {
      events: BURST,
      pairs: ledger.published,
      missing: ledger.missing,
      delivered: ledger.delivered,
      failed: ledger.failed,
      duplicates: ledger.duplicates,
      'ledger closed after the kill': seconds(Date.now() - killedAt),
    });
    expect(ledger).toMatchObject({ missing: 0, delivered: pairs.length, failed: 0 });
    for (const request of rig.receiver.requests) {
      expect(request.headers['webhook-id']).toBe(JSON.parse(request.rawBody).id);
    }
    // Sends cut off by the kill were never recorded; nothing is recorded twice.
    expect(ledger.attemptsRecorded).toBeLessThanOrEqual(ledger.requests);
    await second.terminate();
  }, 300_000);

  it('a restart with retries due behind a long log: no retry is failed for a webhook the new worker has not read yet', async () => {
    // Hundreds of webhooks (and their changes) the new worker must read before it may judge one.
    const others: Webhook[] = [];
    for (let n = 0; n < 300; n++) {
      others.push(await rig.createWebhook(`Other ${n}`, `/other-${n}`, ['product.created']));
    }
    for (const other of others.slice(0, 150)) {
      await rig.call('POST', `/webhooks/${other.id}/deactivate`);
    }
    const down = await rig.createWebhook('Down', '/down');
    let receiving = false;
    rig.respond((request) =>
      request.path === down.path && !receiving
        ? { status: 503, body: 'down' }
        : { status: 200, body: 'ok' },
    );
    await rig.setRetryPolicy([3, 3, 3, 3, 3]);
    const first = await rig.startWorker();
    const events = rig.events(100);
    const pairs = rig.pairs(events, [down]);
    const ids = new Set(events.map((event) => event.id));

    await rig.publish(events);
    await rig.receiver.waitFor(
      () =>
        new Set(
          rig.receiver.requests
            .filter((r) => ids.has(String(r.headers['webhook-id'])))
            .map((r) => r.headers['webhook-id']),
        ).size === 100,
      60_000,
    );
    const exit = await first.terminate();
    receiving = true;
    // Every retry is due by the time the next worker starts.
    const retrying = (await rig.call('GET', `/deliveries?webhookId=${down.id}&limit=100`)).body
      .items;
    const lastDue = Math.max(
      ...retrying.map((item: { nextAttemptAt: string }) => Date.parse(item.nextAttemptAt)),
    );
    while (Date.now() < lastDue)
      await new Promise((resolve) => setTimeout(resolve, lastDue - Date.now()));
    const second = await rig.startWorker();
    const started = Date.now();
    const { ledger } = await rig.ledgerClosed(pairs, 120_000);

    report('restart with 100 retries due behind 300 webhooks', {
      retries: pairs.length,
      missing: ledger.missing,
      delivered: ledger.delivered,
      failed: ledger.failed,
      duplicates: ledger.duplicates,
      shutdown: `${seconds(exit.afterMs)} (exit ${exit.code})`,
      'ledger closed after the new worker was ready': seconds(Date.now() - started),
    });
    expect(ledger).toMatchObject({ missing: 0, delivered: 100, failed: 0 });
    await second.terminate();
  }, 420_000);
});
