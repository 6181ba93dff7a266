import { FaultRig, report } from './fault-rig';

const MAX_BYTES = 4096;

describe('fault suite: malformed, oversized and wrong-typed messages between good ones', () => {
  let rig: FaultRig;

  beforeAll(async () => {
    rig = await FaultRig.start({
      label: 'bad-input',
      env: { PLATFORM_EVENT_MAX_BYTES: String(MAX_BYTES) },
    });
    await rig.startApi();
    await rig.startWorker();
  }, 180_000);

  afterAll(() => rig?.close(), 60_000);

  it('dead-letters each bad message with its reason and delivers every good one around them', async () => {
    const webhook = await rig.createWebhook('All good ones', '/good');
    await rig.whenWorkersKnow([webhook]);
    const good = rig.events(72);
    // Valid events with extra fields a document database could choke on: delivered as received.
    good[0].data = { ...good[0].data, $where: 'this.seats > 1', 'a.b': 1, nested: { $ref: 'x' } };
    good[1].data = { ...good[1].data, big: 2 ** 60, nothing: null, list: [1, 'two', { three: 3 }] };
    const { license } = good[2].data as { license: Record<string, unknown> };
    const bad: Array<{ value: string | Buffer; reason: RegExp }> = [
      { value: 'not json at all', reason: /not JSON/ },
      { value: '[1, 2, 3]', reason: /not a JSON object/ },
      { value: Buffer.alloc(0), reason: /empty/ },
      { value: JSON.stringify({ ...good[2], id: undefined }), reason: /id/ },
      { value: JSON.stringify({ ...good[2], id: 42 }), reason: /id/ },
      {
        value: JSON.stringify({ ...good[2], type: 'license.exploded' }),
        reason: /license\.exploded/,
      },
      { value: JSON.stringify({ ...good[2], environment: 'moon' }), reason: /environment/ },
      { value: JSON.stringify({ ...good[2], data: 'a string' }), reason: /data/ },
      { value: JSON.stringify({ ...good[2], occurredAt: 'yesterday' }), reason: /occurredAt/ },
      {
        value: JSON.stringify({
          ...good[2],
          id: 'evt_too_big',
          data: { blob: 'x'.repeat(2 * MAX_BYTES) },
        }),
        reason: /larger than PLATFORM_EVENT_MAX_BYTES/,
      },
      // Data that breaks its type's schema (PLATFORM_EVENT_VALIDATION=strict, the default).
      {
        value: JSON.stringify({ ...good[2], id: 'evt_no_license', data: {} }),
        reason:
          /^data breaks the license\.created schema: \/data must have property "license" \(rule: required/,
      },
      {
        value: JSON.stringify({
          ...good[2],
          id: 'evt_bad_seats',
          data: { license: { ...license, seats: { total: -1, used: 0 } } },
        }),
        reason: /\/data\/license\/seats\/total must be >= 1 \(rule: minimum/,
      },
    ];
    const pairs = rig.pairs(good, [webhook]);
    // Interleaved: a bad one after every few good ones.
    const values: Array<string | Buffer> = [];
    good.forEach((event, n) => {
      values.push(JSON.stringify(event));
      const next = n % 6 === 5 ? bad[(n - 5) / 6] : undefined;
      if (next) values.push(next.value);
    });

    await rig.publishRaw(values);
    const { ledger, afterMs } = await rig.ledgerClosed(pairs, 60_000);
    const letters = await rig.deadLetters(bad.length);

    report('bad input between good events', {
      good: good.length,
      bad: bad.length,
      missing: ledger.missing,
      delivered: ledger.delivered,
      'dead letters': letters.length,
      'ledger closed after': `${(afterMs / 1000).toFixed(1)} s`,
    });
    expect(ledger).toMatchObject({ missing: 0, delivered: good.length });
    expect(letters).toHaveLength(bad.length);
    // Each kept untouched, with its reason (partitions interleave, so matched by value).
    for (const message of bad) {
      const letter = letters.find((candidate) => candidate.value === message.value.toString());
      expect(letter?.reason).toMatch(message.reason);
    }
    // The odd data arrived byte for byte as published.
    const odd = rig.receiver.requests.find((r) => r.headers['webhook-id'] === good[0].id);
    expect(JSON.parse(odd!.rawBody).data).toEqual(good[0].data);
  }, 240_000);
});
