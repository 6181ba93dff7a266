import { FaultRig, report } from './fault-rig';

const REQUESTS = 40;
/** A request the api had not taken yet fails at the connection: refused, or reset (see below). */
const NOT_TAKEN = ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET'];

describe('fault suite: an api stopped (SIGTERM) while writes are in flight', () => {
  let rig: FaultRig;

  beforeAll(async () => {
    rig = await FaultRig.start({ label: 'api-stop' });
  }, 180_000);

  afterAll(() => rig?.close(), 60_000);

  it('answers every write it accepted (no 5xx), refuses the rest at the connection, exits 0; every 201 is a webhook and nothing else made one', async () => {
    const api = await rig.startApi();
    const headers = { ...(await rig.authorization()), 'content-type': 'application/json' };
    const outcomes: string[] = [];
    let answered = 0;
    const writes = Array.from({ length: REQUESTS }, (_, n) =>
      fetch(`${api.url}/api/v1/webhooks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          name: `Stop ${n}`,
          url: `${rig.receiver.url}/stop-${n}`,
          environment: 'production',
          eventTypes: ['license.created'],
        }),
      }).then(
        async (response) => {
          answered++;
          outcomes.push(String(response.status));
          await response.body?.cancel();
        },
        (error: Error & { cause?: { code?: string } }) => {
          outcomes.push(error.cause?.code ?? error.message);
        },
      ),
    );
    while (answered < 3) await new Promise((resolve) => setImmediate(resolve));

    const exit = await api.terminate();
    await Promise.all(writes);
    await rig.startApi();
    const listed = await rig.call('GET', '/webhooks?limit=100');
    const created = outcomes.filter((outcome) => outcome === '201').length;
    // Not taken: a new connection refused, or an idle keep-alive connection closed just as the
    // client sent on it. Either way it made nothing, so the client may send it again (with an
    // Idempotency-Key, safely in any case).
    const other = outcomes.filter((outcome) => outcome !== '201' && !NOT_TAKEN.includes(outcome));

    report('api SIGTERM with 40 creates in flight', {
      answered: created,
      'not taken (refused or reset)': outcomes.filter((o) => NOT_TAKEN.includes(o)).length,
      other: other.join(' ') || 'none',
      shutdown: `${(exit.afterMs / 1000).toFixed(1)} s (exit ${exit.code})`,
    });
    expect(exit.code).toBe(0);
    expect(other).toEqual([]);
    expect(created).toBeGreaterThanOrEqual(3);
    expect(listed.body.total).toBe(created);
  }, 180_000);
});
