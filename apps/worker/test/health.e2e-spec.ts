import { startTestApp, TestApp } from '../../../test/support/test-app';
import { WorkerModule } from '../src/worker.module';

describe('worker GET /health', () => {
  describe('given the database and Kafka are up', () => {
    let worker: TestApp | undefined;

    beforeAll(async () => {
      // As apps/worker/src/main.ts: no global prefix, health served at the root.
      worker = await startTestApp(WorkerModule, { label: 'worker_health' });
    });

    afterAll(() => worker?.close());

    it('when /health is requested, then it answers 200 with the database and Kafka up', async () => {
      const response = await fetch(`${worker!.url}/health`);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({
        status: 'ok',
        info: {
          database: { status: 'up', latencyMs: expect.any(Number) },
          kafka: { status: 'up', brokers: expect.any(Number), latencyMs: expect.any(Number) },
        },
        error: {},
      });
    });
  });
});
