import { deliveryIdOf } from '@app/deliveries';
import type { ReceivedRequest } from '../support/receiver';
import { FaultRig, report, type Webhook } from './fault-rig';

const BURST = 300;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe('fault suite: two apis and two workers, one worker killed mid-burst', () => {
  let rig: FaultRig;

  beforeAll(async () => {
    rig = await FaultRig.start({ label: 'several', partitions: 6 });
    await rig.startApi();
    await rig.startApi();
  }, 180_000);

  afterAll(() => rig?.close(), 60_000);

  it('behaves as one: writes through either api answer 2xx, nothing is lost, no attempt is recorded twice', async () => {
    // Writes alternate between the apis; each must answer 2xx once committed.
    const statuses: number[] = [];
    const webhooks: Webhook[] = [];
    for (const [n, path] of ['/healthy', '/flaky'].entries()) {
      const api = rig.apis[n % 2];
      const response = await fetch(`${api.url}/api/v1/webhooks`, {
        method: 'POST',
        headers: { ...(await rig.authorization()), 'content-type': 'application/json' },
        body: JSON.stringify({
          name: path.slice(1),
          url: `${rig.receiver.url}${path}`,
          environment: 'production',
          eventTypes: ['license.created'],
        }),
      });
      statuses.push(response.status);
      webhooks.push({ id: ((await response.json()) as { id: string }).id, path });
    }
    expect(statuses).toEqual([201, 201]);
    await rig.setRetryPolicy([1, 1, 1, 1, 1]);
    const seen = new Set<string>();
    rig.respond((request: ReceivedRequest) => {
      // The flaky endpoint fails each event's first attempt: its retries go through the queue,
      // which both workers poll at once.
      const id = String(request.headers['webhook-id']);
      if (request.path === '/flaky' && !seen.has(id)) {
        seen.add(id);
        return { status: 503, body: 'later', delayMs: 20 };
      }
      return { status: 200, body: 'ok', delayMs: 20 };
    });
    const [first] = [await rig.startWorker(), await rig.startWorker()];
    await rig.whenWorkersKnow(webhooks);
    const events = rig.events(BURST);
    const pairs = rig.pairs(events, webhooks);
    const before = rig.receiver.requests.length;

    await rig.publish(events);
    await rig.receiver.waitFor(() => rig.receiver.requests.length >= before + BURST / 2, 60_000);
    await first.kill();
    const killedAt = Date.now();
    const { ledger } = await rig.ledgerClosed(pairs, 180_000);

    // Every delivery's attempts are numbered 1..n once each; a second send of one (the killed
    // worker's partitions read again) is kept apart, flagged as a duplicate.
    let secondSends = 0;
    for (const pair of pairs) {
      const { body } = await rig.call(
        'GET',
        `/deliveries/${deliveryIdOf(pair.eventId, pair.webhook.id)}`,
      );
      const counted = body.attempts.filter(
        (a: { duplicateOf?: number }) => a.duplicateOf === undefined,
      );
      secondSends += body.attempts.length - counted.length;
      expect(counted.map((a: { number: number }) => a.number)).toEqual(
        counted.map((_: unknown, n: number) => n + 1),
      );
    }
    report('2 apis, 2 workers, one worker killed mid-burst', {
      events: BURST,
      pairs: ledger.published,
      missing: ledger.missing,
      delivered: ledger.delivered,
      failed: ledger.failed,
      duplicates: ledger.duplicates,
      'second sends recorded as such': secondSends,
      'ledger closed after the kill': seconds(Date.now() - killedAt),
    });
    expect(ledger).toMatchObject({ missing: 0, delivered: pairs.length, failed: 0 });
    expect(ledger.attemptsRecorded).toBeLessThanOrEqual(ledger.requests);
  }, 420_000);
});
