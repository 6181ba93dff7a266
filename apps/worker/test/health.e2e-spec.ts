import { eventually } from '../../../test/support/delivery-rig';
import { startTestApp, TestApp } from '../../../test/support/test-app';
import { WorkerModule } from '../src/worker.module';

/** Terminus' body: which parts are up or down. */
interface Readiness {
  status: string;
  info?: Record<string, unknown>;
  error?: Record<string, unknown>;
}

async function ready(worker: TestApp): Promise<{ status: number; body: Readiness }> {
  const response = await fetch(`${worker.url}/health/ready`);
  return { status: response.status, body: (await response.json()) as Readiness };
}

describe('worker health probes', () => {
  describe('given the database and Kafka are up', () => {
    let worker: TestApp | undefined;

    beforeAll(async () => {
      // As apps/worker/src/main.ts: no global prefix, health served at the root.
      worker = await startTestApp(WorkerModule, { label: 'worker_health' });
    });

    afterAll(() => worker?.close());

    it('when readiness is asked, then it answers 200 once the database, Kafka, its consumer and its delivery engine are up', async () => {
      await eventually(async () => (await ready(worker!)).status === 200, 'the worker to be ready');

      const { body } = await ready(worker!);

      expect(body).toMatchObject({
        status: 'ok',
        info: {
          database: { status: 'up', latencyMs: expect.any(Number) },
          kafka: { status: 'up', brokers: expect.any(Number), latencyMs: expect.any(Number) },
          consumer: { status: 'up' },
          deliveries: { status: 'up', inMemory: 0 },
          lifecycle: { status: 'up' },
        },
        error: {},
      });
    });

    it('when liveness is asked, then it answers 200', async () => {
      const response = await fetch(`${worker!.url}/health/live`);

      expect(response.status).toBe(200);
      await response.body?.cancel();
    });
  });

  describe('given Kafka cannot be reached', () => {
    let worker: TestApp | undefined;

    beforeAll(async () => {
      // Nothing listens on port 1: the worker must still start and say so in its readiness.
      worker = await startTestApp(WorkerModule, {
        label: 'worker_health_kafka_down',
        env: { KAFKA_BROKERS: '127.0.0.1:1' },
      });
    });

    afterAll(() => worker?.close());

    it('when readiness is asked, then it answers 503 naming Kafka and its consumer; liveness stays 200', async () => {
      const { status, body } = await ready(worker!);
      const live = await fetch(`${worker!.url}/health/live`);

      expect(status).toBe(503);
      expect(body).toMatchObject({
        status: 'error',
        info: { database: { status: 'up' } },
        error: {
          kafka: { status: 'down', message: expect.any(String) },
          consumer: { status: 'down' },
        },
      });
      expect(live.status).toBe(200);
      await live.body?.cancel();
    });
  });
});
