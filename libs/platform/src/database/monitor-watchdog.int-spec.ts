import { MongoClient } from 'mongodb';
import { MonitorWatchdog } from './monitor-watchdog';

const OPTIONS = { heartbeatFrequencyMS: 1_000, connectTimeoutMS: 1_000 };

interface Monitor {
  monitorId: { isExecutionInProgress: boolean; lastExecutionEnded: number };
}

/** The client's one server monitor (the driver's internals this watchdog relies on). */
function monitorOf(client: MongoClient): Monitor {
  const internals = client as unknown as {
    topology: { s: { servers: Map<string, { monitor: Monitor }> } };
  };
  return [...internals.topology.s.servers.values()][0].monitor;
}

describe('MonitorWatchdog (the real driver, the real database)', () => {
  let client: MongoClient;

  beforeEach(async () => {
    client = new MongoClient(process.env.MONGODB_URI ?? '', {
      ...OPTIONS,
      serverSelectionTimeoutMS: 5_000,
    });
    await client.connect();
  });

  afterEach(() => client.close());

  it('given a healthy monitor, when checked, then nothing is restarted', () => {
    expect(new MonitorWatchdog(client, OPTIONS).check()).toBe(0);
  });

  it('given a monitor whose check never ends (its connection closed under it), when checked past a heartbeat and a connect timeout, then it is restarted and the client answers again', async () => {
    const stuck = monitorOf(client).monitorId;
    // The state seen after a FerretDB restart under load: a check in progress for ever.
    stuck.isExecutionInProgress = true;
    stuck.lastExecutionEnded = performance.now() - 60_000;

    const restarted = new MonitorWatchdog(client, OPTIONS).check();

    expect(restarted).toBe(1);
    expect(monitorOf(client).monitorId).not.toBe(stuck);
    await expect(client.db('admin').command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
  });

  it('given a check in progress for less than a heartbeat and a connect timeout, then it is left alone', () => {
    const current = monitorOf(client).monitorId;
    current.isExecutionInProgress = true;
    current.lastExecutionEnded = performance.now() - 1_500;

    expect(new MonitorWatchdog(client, OPTIONS).check()).toBe(0);
    current.isExecutionInProgress = false;
  });
});
