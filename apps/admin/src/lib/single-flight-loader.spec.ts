import { SingleFlightLoader, type LoadOutcome } from './single-flight-loader';

/** A load whose answer the test gives (or withholds), with what each request saw. */
function controlledLoads() {
  const calls: { key: string; signal: AbortSignal; answer: (value: string) => void }[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const load = (key: string, signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const settle = () => inFlight--;
      signal.addEventListener('abort', () => {
        settle();
        reject(new Error('aborted'));
      });
      calls.push({
        key,
        signal,
        answer: (value) => {
          settle();
          resolve(value);
        },
      });
    });
  return {
    load,
    calls,
    get mostInFlight() {
      return mostInFlight;
    },
  };
}

function recorder() {
  const started: string[] = [];
  const settled: [string, LoadOutcome<string>][] = [];
  return {
    started,
    settled,
    events: {
      started: (key: string) => started.push(key),
      settled: (key: string, outcome: LoadOutcome<string>) => settled.push([key, outcome]),
    },
  };
}

/** Lets the loader's promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('SingleFlightLoader', () => {
  it('starts no second load while one is in flight, and runs one more after it however many were asked for', async () => {
    const loads = controlledLoads();
    const seen = recorder();
    const loader = new SingleFlightLoader(loads.load, seen.events);

    loader.request('deliveries');
    loader.request('deliveries');
    loader.request('deliveries');
    expect(loads.calls).toHaveLength(1);

    loads.calls[0].answer('first');
    await settle();
    // The first answer is shown, then exactly one follow-up runs for the reloads asked meanwhile.
    expect(seen.settled).toEqual([['deliveries', { ok: true, value: 'first' }]]);
    expect(loads.calls).toHaveLength(2);

    loads.calls[1].answer('second');
    await settle();
    expect(seen.settled.map(([, outcome]) => outcome)).toEqual([
      { ok: true, value: 'first' },
      { ok: true, value: 'second' },
    ]);
    expect(loads.calls).toHaveLength(2);
    expect(loads.mostInFlight).toBe(1);
  });

  it('skips a poll tick while a load is in flight', async () => {
    const loads = controlledLoads();
    const loader = new SingleFlightLoader(loads.load, recorder().events);

    loader.requestIfIdle('deliveries');
    loader.requestIfIdle('deliveries');
    expect(loads.calls).toHaveLength(1);
    loads.calls[0].answer('page');
    await settle();
    expect(loader.busy).toBe(false);
    expect(loads.calls).toHaveLength(1);

    loader.requestIfIdle('deliveries');
    expect(loads.calls).toHaveLength(2);
  });

  it('aborts the load of an older question, drops its answer, and asks the new one once it has settled', async () => {
    const loads = controlledLoads();
    const seen = recorder();
    const loader = new SingleFlightLoader(loads.load, seen.events);

    loader.request('status=failed');
    loader.request('status=succeeded');
    expect(loads.calls[0].signal.aborted).toBe(true);
    expect(loads.calls).toHaveLength(1);
    await settle();
    expect(loads.calls.map((call) => call.key)).toEqual(['status=failed', 'status=succeeded']);

    loads.calls[1].answer('succeeded page');
    await settle();
    expect(seen.settled).toEqual([['status=succeeded', { ok: true, value: 'succeeded page' }]]);
    expect(loads.mostInFlight).toBe(1);
  });

  it('reports a failure as the outcome, and reports nothing once disposed', async () => {
    const seen = recorder();
    const failing = new SingleFlightLoader(() => Promise.reject(new Error('503')), seen.events);
    failing.request('webhooks');
    await settle();
    expect(seen.settled).toEqual([['webhooks', { ok: false, error: new Error('503') }]]);

    const loads = controlledLoads();
    const gone = recorder();
    const loader = new SingleFlightLoader(loads.load, gone.events);
    loader.request('webhooks');
    loader.request('webhooks');
    loader.dispose();
    await settle();
    expect(loads.calls[0].signal.aborted).toBe(true);
    expect(gone.settled).toEqual([]);
    expect(loads.calls).toHaveLength(1);
  });
});
