import { startDnsServer, type FakeDnsServer } from '../support/dns-server';
import { FaultRig, report, type Webhook } from './fault-rig';

const BURST = 100;
const DNS_TIMEOUT_MS = 2000;

describe('fault suite: a receiver whose DNS never answers', () => {
  let dns: FakeDnsServer;
  let rig: FaultRig;

  beforeAll(async () => {
    dns = await startDnsServer();
    dns.answer('good.test', { a: ['127.0.0.1'], ttl: 30 });
    dns.answer('also-good.test', { a: ['127.0.0.1'], ttl: 30 });
    dns.stall('stalled.test');
    rig = await FaultRig.start({
      label: 'dns',
      receiverHostnames: ['good.test', 'also-good.test', 'stalled.test'],
      env: {
        DELIVERY_DNS_SERVERS: dns.address,
        DELIVERY_DNS_TIMEOUT_MS: String(DNS_TIMEOUT_MS),
      },
    });
    await rig.startApi();
    await rig.startWorker();
    await rig.setRetryPolicy([1, 1]);
  }, 180_000);

  afterAll(async () => {
    await rig?.close();
    await dns?.close();
  }, 60_000);

  it('keeps delivering to the other receivers while its lookups time out; its deliveries end failed with the reason', async () => {
    const good: Webhook[] = [
      await rig.createWebhook('Good', '/good', ['license.created'], 'good.test'),
      await rig.createWebhook('Also good', '/also-good', ['license.created'], 'also-good.test'),
    ];
    const stalled = await rig.createWebhook(
      'Stalled',
      '/stalled',
      ['license.created'],
      'stalled.test',
    );
    await rig.whenWorkersKnow(good);
    const events = rig.events(BURST);
    const started = Date.now();

    await rig.publish(events);
    const flowing = await rig.ledgerClosed(rig.pairs(events, good), 60_000);
    const goodDoneMs = Date.now() - started;
    const { ledger } = await rig.ledgerClosed(rig.pairs(events, [stalled]), 120_000);
    const sample = (await rig.call('GET', `/deliveries?webhookId=${stalled.id}&limit=1`)).body
      .items[0];

    report('a receiver whose DNS never answers, beside two that work', {
      events: BURST,
      'good pairs delivered': flowing.ledger.delivered,
      'good pairs done after': `${(goodDoneMs / 1000).toFixed(1)} s`,
      'stalled pairs failed with a reason': ledger.failed,
      missing: flowing.ledger.missing + ledger.missing,
      'DNS questions for the stalled name': dns.queries('stalled.test'),
    });
    expect(flowing.ledger).toMatchObject({ missing: 0, delivered: BURST * 2 });
    expect(ledger).toMatchObject({ missing: 0, failed: BURST });
    expect(sample.lastAttempt.error).toMatch(/DNS/);
    // The good ones did not wait for the stalled lookups: far less than one DNS timeout per event.
    expect(goodDoneMs).toBeLessThan(DNS_TIMEOUT_MS * 10);
  }, 300_000);
});
