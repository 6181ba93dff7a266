import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signAccessToken } from '@app/platform';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApi } from '../../apps/api/src/configure-api';
import { freePort } from '../support/worker-process';
import { startTestApp, type TestApp } from '../support/test-app';

// What the api shows on its public port beyond the admin API itself (issue 13, "Exposure" and
// "Redaction"): each test is one way an attacker or a cache could read more than it should.

const JWT_SECRET = 'security-exposure-signing-key-0123456789abcdef';
const METRICS_TOKEN = 'metrics-scrape-token-0123456789';
const admin = () => signAccessToken(JWT_SECRET, { id: 'security-admin', role: 'admin' }, 600);

const webhook = {
  name: 'Exposure check',
  url: 'https://exposure.example.com/hooks',
  environment: 'production',
  eventTypes: ['license.created'],
};

async function post(api: TestApp, path: string, body: unknown = {}) {
  return fetch(`${api.url}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin()}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('security: what the api exposes', () => {
  describe('given the default settings', () => {
    let api: TestApp;

    beforeAll(async () => {
      api = await startTestApp(ApiModule, {
        label: 'security_exposure',
        configure: configureApi,
        env: { AUTH_JWT_SECRET: JWT_SECRET },
      });
    });

    afterAll(() => api?.close());

    it('When a webhook is created, its secret rotated and revealed, then every one of those answers says Cache-Control: no-store', async () => {
      const created = await post(api, '/webhooks', webhook);
      expect(created.status).toBe(201);
      const { id, secret } = (await created.json()) as { id: string; secret: string };
      expect(secret).toMatch(/^whsec_/);
      expect(created.headers.get('cache-control')).toBe('no-store');

      const rotated = await post(api, `/webhooks/${id}/secret/rotate`);
      expect(rotated.status).toBe(200);
      expect(rotated.headers.get('cache-control')).toBe('no-store');

      const revealed = await fetch(`${api.url}/api/v1/webhooks/${id}/secret`, {
        headers: { authorization: `Bearer ${admin()}` },
      });
      expect(revealed.status).toBe(200);
      expect(revealed.headers.get('cache-control')).toBe('no-store');
    });

    it('When an Idempotency-Key create is replayed, then the replayed secret is not cacheable either', async () => {
      const send = () =>
        fetch(`${api.url}/api/v1/webhooks`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${admin()}`,
            'content-type': 'application/json',
            'idempotency-key': 'security-exposure-replay-1',
          },
          body: JSON.stringify({ ...webhook, name: 'Replayed' }),
        });
      expect((await send()).status).toBe(201);
      const replay = await send();
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.headers.get('cache-control')).toBe('no-store');
    });

    it('When HSTS is not configured, then no Strict-Transport-Security header is sent (the api may sit behind plain HTTP locally)', async () => {
      const response = await fetch(`${api.url}/health/live`);
      expect(response.headers.get('strict-transport-security')).toBeNull();
    });

    it('When the built admin page is fetched, then it carries no source maps (not built unless ADMIN_SOURCE_MAPS=true)', async () => {
      const assets = join(__dirname, '..', '..', 'dist', 'admin', 'assets');
      expect(existsSync(assets)).toBe(true);
      const files = readdirSync(assets);
      expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
      for (const script of files.filter((file) => file.endsWith('.js'))) {
        expect(readFileSync(join(assets, script), 'utf8')).not.toMatch(/sourceMappingURL/);
        const map = await fetch(`${api.url}/admin/assets/${script}.map`);
        expect(map.status).not.toBe(200);
      }
    });
  });

  describe('given no Kafka broker to reach (KAFKA_BROKERS on a closed port)', () => {
    let api: TestApp;

    beforeAll(async () => {
      const closedPort = await freePort();
      api = await startTestApp(ApiModule, {
        label: 'security_no_kafka',
        configure: configureApi,
        env: { AUTH_JWT_SECRET: JWT_SECRET, KAFKA_BROKERS: `127.0.0.1:${closedPort}` },
      });
    });

    afterAll(() => api?.close());

    it('When a load balancer probes the api, then it is live and ready: its readiness is the database, never Kafka', async () => {
      expect((await fetch(`${api.url}/health/live`)).status).toBe(200);
      const ready = await fetch(`${api.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(JSON.stringify(await ready.json())).not.toMatch(/kafka/i);
    });
  });

  describe('given METRICS_TOKEN and HTTP_HSTS_MAX_AGE', () => {
    let api: TestApp;

    beforeAll(async () => {
      api = await startTestApp(ApiModule, {
        label: 'security_metrics_token',
        configure: configureApi,
        env: { AUTH_JWT_SECRET: JWT_SECRET, METRICS_TOKEN, HTTP_HSTS_MAX_AGE: '31536000' },
      });
    });

    afterAll(() => api?.close());

    it('When /metrics is scraped without the token or with another one, then it answers 401 problem JSON and no metrics', async () => {
      for (const authorization of [
        undefined,
        'Bearer not-the-metrics-token',
        `Bearer ${admin()}`,
      ]) {
        const response = await fetch(`${api.url}/metrics`, {
          headers: authorization ? { authorization } : {},
        });
        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(await response.text()).not.toMatch(/process_cpu/);
      }
    });

    it('When /metrics is scraped with the token, then it answers the Prometheus text', async () => {
      const response = await fetch(`${api.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/^# HELP process_cpu/m);
    });

    it('When any route answers, then it sends Strict-Transport-Security with the configured age', async () => {
      for (const path of ['/health/live', '/api/v1/webhooks', '/admin/', '/api/v1/nowhere']) {
        const response = await fetch(`${api.url}${path}`);
        expect(response.headers.get('strict-transport-security')).toBe(
          'max-age=31536000; includeSubDomains',
        );
      }
    });
  });

  describe('given METRICS_PORT', () => {
    let api: TestApp;
    let metricsPort: number;

    beforeAll(async () => {
      metricsPort = await freePort();
      api = await startTestApp(ApiModule, {
        label: 'security_metrics_port',
        configure: configureApi,
        env: { AUTH_JWT_SECRET: JWT_SECRET, METRICS_PORT: String(metricsPort) },
      });
    });

    afterAll(() => api?.close());

    it('When /metrics is asked on the public port, then it is not there (404)', async () => {
      const response = await fetch(`${api.url}/metrics`);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toMatch(/process_cpu/);
    });

    it('When /metrics is asked on the metrics port, then it answers the Prometheus text, and nothing else is served there', async () => {
      const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^# HELP process_cpu/m);
      const other = await fetch(`http://127.0.0.1:${metricsPort}/api/v1/webhooks`);
      expect(other.status).toBe(404);
    });
  });
});
