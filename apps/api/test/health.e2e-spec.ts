import { ShutdownState } from '@app/platform';
import { startTcpProxy, TcpProxy } from '../../../test/support/tcp-proxy';
import { startTestApp, TestApp } from '../../../test/support/test-app';
import { ApiModule } from '../src/api.module';
import { configureApi } from '../src/configure-api';

describe('api health probes', () => {
  describe('given the database is up', () => {
    let api: TestApp | undefined;

    beforeAll(async () => {
      api = await startTestApp(ApiModule, { label: 'api_health', configure: configureApi });
    });

    afterAll(() => api?.close());

    it('when /health/live is requested, then it answers 200: the process is up', async () => {
      const response = await fetch(`${api!.url}/health/live`);

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', uptimeSeconds: expect.any(Number) });
    });

    it('when /health/ready is requested, then it answers 200 with the database up, and nothing of Kafka', async () => {
      const response = await fetch(`${api!.url}/health/ready`);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({
        status: 'ok',
        info: {
          database: { status: 'up', latencyMs: expect.any(Number) },
          webhooks: { status: 'up' },
          lifecycle: { status: 'up' },
        },
        error: {},
        details: {
          database: { status: 'up', latencyMs: expect.any(Number) },
          webhooks: { status: 'up' },
          lifecycle: { status: 'up' },
        },
      });
    });

    it('when /health is requested, then it answers as /health/ready (kept for older probes)', async () => {
      const response = await fetch(`${api!.url}/health`);

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' } },
      });
    });

    it('when /api/v1/health is requested, then it answers 404 problem JSON, as health lives outside the /api/v1 prefix', async () => {
      const response = await fetch(`${api!.url}/api/v1/health`);

      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ status: 404, instance: '/api/v1/health' });
    });
  });

  describe('given the api begins to shut down', () => {
    let api: TestApp | undefined;

    beforeAll(async () => {
      api = await startTestApp(ApiModule, {
        label: 'api_health_draining',
        configure: configureApi,
      });
    });

    afterAll(() => api?.close());

    it('when readiness is asked, then it answers 503 at once while liveness stays 200', async () => {
      api!.app.get(ShutdownState).begin(new Date('2026-12-01T10:00:00Z'));

      const ready = await fetch(`${api!.url}/health/ready`);
      const live = await fetch(`${api!.url}/health/live`);

      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        error: {
          lifecycle: { status: 'down', message: 'shutting down since 2026-12-01T10:00:00.000Z' },
        },
      });
      expect(live.status).toBe(200);
      await live.body?.cancel();
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

    it('when readiness is asked, then it answers 503 naming the database as down; liveness stays 200', async () => {
      const before = await fetch(`${api!.url}/health/ready`);
      expect(before.status).toBe(200);
      await before.body?.cancel();

      await proxy!.stop();
      const response = await fetch(`${api!.url}/health/ready`);
      const live = await fetch(`${api!.url}/health/live`);

      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: 'error',
        // The webhook directory stays up: it is in memory, caught up before the outage.
        info: { webhooks: { status: 'up' }, lifecycle: { status: 'up' } },
        error: { database: { status: 'down', message: expect.any(String) } },
        details: {
          database: { status: 'down', message: expect.any(String) },
          webhooks: { status: 'up' },
          lifecycle: { status: 'up' },
        },
      });
      expect(live.status).toBe(200);
      await live.body?.cancel();
    });
  });

  describe('given Kafka cannot be reached', () => {
    let api: TestApp | undefined;

    beforeAll(async () => {
      // Nothing listens on port 1: the api does not use Kafka, so it is ready all the same.
      api = await startTestApp(ApiModule, {
        label: 'api_health_kafka_down',
        configure: configureApi,
        env: { KAFKA_BROKERS: '127.0.0.1:1' },
      });
    });

    afterAll(() => api?.close());

    it('when readiness is asked, then it answers 200: a Kafka outage does not take the admin API out of service', async () => {
      const response = await fetch(`${api!.url}/health/ready`);

      expect(response.status).toBe(200);
      await response.body?.cancel();
    });
  });
});
