import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, TestApp } from '../../../test/support/test-app';
import { ApiModule } from '../src/api.module';
import { configureApi } from '../src/configure-api';

const INDEX_HTML =
  '<!doctype html><html><head><script type="module" src="/admin/assets/app-abc.js"></script></head><body><div id="root"></div></body></html>';
const APP_JS = 'document.getElementById("root").textContent = "admin";';
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

describe('api: the admin page under /admin', () => {
  let folder: string;

  beforeAll(() => {
    // A stand-in for `npm run build:admin`'s output: index.html and one hashed asset.
    folder = mkdtempSync(join(tmpdir(), 'admin-page-e2e-'));
    mkdirSync(join(folder, 'assets'));
    writeFileSync(join(folder, 'index.html'), INDEX_HTML);
    writeFileSync(join(folder, 'assets', 'app-abc.js'), APP_JS);
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  describe('given a built page in ADMIN_UI_DIR', () => {
    let api: TestApp | undefined;

    beforeAll(async () => {
      api = await startTestApp(ApiModule, {
        label: 'api_admin_page',
        configure: configureApi,
        env: { ADMIN_UI_DIR: folder },
      });
    });

    afterAll(() => api?.close());

    it.each([
      '/admin',
      '/admin/webhooks',
      '/admin/webhooks/0f8e2c4a/edit',
      '/admin/deliveries?x=y',
      '/admin/settings',
    ])(
      'when the deep link %s is opened, then index.html comes with the CSP and no-cache',
      async (path) => {
        const response = await request(api!.url).get(path);

        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toMatch(/^text\/html/);
        expect(response.text).toBe(INDEX_HTML);
        expect(response.headers['cache-control']).toBe('no-cache');
        expect(response.headers['content-security-policy']).toBe(CSP);
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['referrer-policy']).toBe('no-referrer');
      },
    );

    it('when a hashed asset is requested, then it is served as JavaScript, cached for a year as immutable', async () => {
      const response = await request(api!.url).get('/admin/assets/app-abc.js');

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/javascript/);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.text).toBe(APP_JS);
    });

    it('when a missing asset is requested, then 404 problem JSON, not index.html', async () => {
      const response = await request(api!.url).get('/admin/assets/app-old.js');

      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['cache-control']).toBeUndefined();
      expect(response.body).toMatchObject({ status: 404, instance: '/admin/assets/app-old.js' });
    });

    it('when /api/v1/webhooks is called without a token, then it is still 401 problem JSON', async () => {
      const response = await request(api!.url).get('/api/v1/webhooks');

      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['content-security-policy']).toBeUndefined();
      expect(response.body).toMatchObject({ status: 401, instance: '/api/v1/webhooks' });
    });

    it('when /health, /metrics and the OpenAPI document are requested, then they answer as before', async () => {
      const health = await request(api!.url).get('/health');
      const metrics = await request(api!.url).get('/metrics');
      const openApi = await request(api!.url).get('/api/docs/openapi.json');

      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok' });
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('process_cpu_seconds_total');
      expect(openApi.status).toBe(200);
      expect(Object.keys(openApi.body.paths as object).some((p) => p.startsWith('/admin'))).toBe(
        false,
      );
    });

    it('when /api/v1/admin is requested, then 404: the page is not part of the API', async () => {
      const response = await request(api!.url).get('/api/v1/admin');

      expect(response.status).toBe(404);
    });
  });

  describe('given ADMIN_UI_DIR holds no built page', () => {
    let api: TestApp | undefined;

    beforeAll(async () => {
      api = await startTestApp(ApiModule, {
        label: 'api_admin_page_missing',
        configure: configureApi,
        env: { ADMIN_UI_DIR: join(folder, 'not-built') },
      });
    });

    afterAll(() => api?.close());

    it.each(['/admin', '/admin/webhooks', '/admin/assets/app-abc.js'])(
      'when %s is requested, then the api is up and answers 503 problem JSON telling to build the page',
      async (path) => {
        const response = await request(api!.url).get(path);

        expect(response.status).toBe(503);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body).toEqual({
          type: 'https://lmp.example/problems/admin-page-not-built',
          title: 'Admin page not built',
          status: 503,
          detail: expect.stringContaining('npm run build:admin'),
          instance: path,
        });
        expect((await request(api!.url).get('/health')).status).toBe(200);
      },
    );
  });
});
