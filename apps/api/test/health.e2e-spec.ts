import { startTcpProxy, TcpProxy } from '../../../test/support/tcp-proxy';
import { startTestApp, TestApp } from '../../../test/support/test-app';
import { ApiModule } from '../src/api.module';
import { configureApi } from '../src/configure-api';

describe('api GET /health', () => {
  describe('given the database and Kafka are up', () => {
    let api: TestApp | undefined;

    beforeAll(async () => {
      api = await startTestApp(ApiModule, { label: 'api_health', configure: configureApi });
    });

    afterAll(() => api?.close());

    it('when /health is requested, then it answers 200 with the database and Kafka up', async () => {
      const response = await fetch(`${api!.url}/health`);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({
        status: 'ok',
        info: {
          database: { status: 'up', latencyMs: expect.any(Number) },
          kafka: { status: 'up', brokers: expect.any(Number), latencyMs: expect.any(Number) },
        },
        error: {},
        details: {
          database: { status: 'up', latencyMs: expect.any(Number) },
          kafka: { status: 'up', brokers: expect.any(Number), latencyMs: expect.any(Number) },
        },
      });
    });

    it('when /api/v1/health is requested, then it answers 404 problem JSON, as health lives outside the /api/v1 prefix', async () => {
      const response = await fetch(`${api!.url}/api/v1/health`);

      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ status: 404, instance: '/api/v1/health' });
    });
  });

  describe('given the database goes away after start-up', () => {
    let proxy: TcpProxy | undefined;
    let api: TestApp | undefined;

    beforeAll(async () => {
      // The app reaches the real database through a local proxy, so the database can be taken
      // away from this app alone; the shared server stays up for the other tests.
      const server = new URL(process.env.MONGODB_URI ?? '');
      proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 27017) });
      const { host, port } = proxy;
      api = await startTestApp(ApiModule, {
        label: 'api_health_db_down',
        configure: configureApi,
        mongodbUri: (database) => {
          const url = new URL(database.uri);
          url.host = `${host}:${port}`;
          url.searchParams.set('directConnection', 'true');
          return url.toString();
        },
      });
    });

    afterAll(async () => {
      await proxy?.stop();
      await api?.close();
    });

    it('when /health is requested, then it answers 503 naming the database as down and Kafka as up', async () => {
      const before = await fetch(`${api!.url}/health`);
      expect(before.status).toBe(200);
      await before.body?.cancel();

      await proxy!.stop();
      const response = await fetch(`${api!.url}/health`);

      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: 'error',
        info: {
          kafka: { status: 'up', brokers: expect.any(Number), latencyMs: expect.any(Number) },
        },
        error: { database: { status: 'down', message: expect.any(String) } },
        details: {
          database: { status: 'down', message: expect.any(String) },
          kafka: { status: 'up', brokers: expect.any(Number), latencyMs: expect.any(Number) },
        },
      });
    });
  });

  describe('given Kafka cannot be reached', () => {
    let api: TestApp | undefined;

    beforeAll(async () => {
      // Nothing listens on port 1: the app must still start and say so in /health.
      api = await startTestApp(ApiModule, {
        label: 'api_health_kafka_down',
        configure: configureApi,
        env: { KAFKA_BROKERS: '127.0.0.1:1' },
      });
    });

    afterAll(() => api?.close());

    it('when /health is requested, then it answers 503 naming Kafka as down and the database as up', async () => {
      const response = await fetch(`${api!.url}/health`);

      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        status: 'error',
        info: { database: { status: 'up' } },
        error: { kafka: { status: 'down', message: expect.any(String) } },
      });
    });
  });
});
