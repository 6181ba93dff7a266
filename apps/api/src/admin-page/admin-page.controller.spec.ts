import { Global, INestApplication, Logger, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AppConfig, loadAuthSettings } from '@app/config';
import { AuthModule, ProblemDetailsFilter } from '@app/platform';
import { ADMIN_PAGE_ROUTES, AdminPageModule } from './admin-page.module';

const INDEX = '<!doctype html><script type="module" src="/admin/assets/app-abc.js"></script>';

/** Boots the admin page alone (with the real guard and problem filter) on `dir`. */
async function startPage(dir: string): Promise<INestApplication> {
  @Global()
  @Module({
    providers: [
      {
        provide: AppConfig,
        useValue: Object.assign(new AppConfig(), {
          adminUiDir: dir,
          auth: loadAuthSettings({
            AUTH_JWT_SECRET: 'test-auth-secret-that-is-long-enough-for-hs256',
          }),
        }),
      },
    ],
    exports: [AppConfig],
  })
  class TestConfigModule {}

  const moduleRef = await Test.createTestingModule({
    imports: [TestConfigModule, AuthModule, AdminPageModule],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.setGlobalPrefix('api/v1', { exclude: [...ADMIN_PAGE_ROUTES] });
  app.useGlobalFilters(new ProblemDetailsFilter(app.get(HttpAdapterHost)));
  await app.init();
  return app;
}

describe('AdminPageController', () => {
  let dir: string;
  let app: INestApplication | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'admin-page-'));
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const build = () => {
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'app-abc.js'), 'console.log("admin");');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, '.env'), 'SECRET=1');
  };

  describe('given a built page', () => {
    beforeEach(async () => {
      build();
      app = await startPage(dir);
    });

    it.each(['/admin', '/admin/', '/admin/webhooks/42/edit', '/admin/deliveries?status=failed'])(
      'when %s is requested, then index.html is served without a token, revalidated on every load',
      async (path) => {
        const response = await request(app!.getHttpServer()).get(path);

        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toMatch(/^text\/html/);
        expect(response.headers['cache-control']).toBe('no-cache');
        expect(response.headers['content-security-policy']).toContain("script-src 'self'");
        expect(response.text).toBe(INDEX);
      },
    );

    it('when the page is requested again with its ETag, then 304 with the same headers', async () => {
      const first = await request(app!.getHttpServer()).get('/admin/webhooks');

      const again = await request(app!.getHttpServer())
        .get('/admin/settings')
        .set('If-None-Match', first.headers.etag);

      expect(again.status).toBe(304);
      expect(again.headers['cache-control']).toBe('no-cache');
      expect(again.headers['x-content-type-options']).toBe('nosniff');
    });

    it('when HEAD asks for an asset, then its headers come without a body', async () => {
      const response = await request(app!.getHttpServer()).head('/admin/assets/app-abc.js');

      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.headers['content-type']).toMatch(/^text\/javascript/);
    });

    it('when a file at the top of the folder is requested, then that file is served, not the page', async () => {
      const response = await request(app!.getHttpServer()).get('/admin/favicon.svg');

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(response.headers['cache-control']).toBe('no-cache');
    });

    it.each(['/admin/assets', '/admin/assets/', '/admin/assets/nope.js', '/admin/assets/a/b.css'])(
      'when %s is requested, then 404 problem JSON, not the page',
      async (path) => {
        const response = await request(app!.getHttpServer()).get(path);

        expect(response.status).toBe(404);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.headers['cache-control']).toBeUndefined();
        expect(response.body).toMatchObject({ status: 404 });
      },
    );

    it('when a dotfile is requested, then it is not served: the page is', async () => {
      const response = await request(app!.getHttpServer()).get('/admin/.env');

      expect(response.status).toBe(200);
      expect(response.text).toBe(INDEX);
    });

    it.each(['/admin/assets/..%2F..%2F..%2Fetc%2Fpasswd', '/admin/assets/..%2F.env'])(
      'when %s (an encoded way out of the folder) is requested, then 404',
      async (path) => {
        const response = await request(app!.getHttpServer()).get(path);

        expect(response.status).toBe(404);
        expect(response.text).not.toContain('SECRET');
        expect(response.text).not.toContain('root:');
      },
    );

    it('when /api/v1/admin is requested, then 404: the page lives outside the API prefix only', async () => {
      const response = await request(app!.getHttpServer()).get('/api/v1/admin');

      expect(response.status).toBe(404);
    });
  });

  describe('given no built page', () => {
    it('when the api starts, then it warns once, naming the folder and the build command', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      try {
        app = await startPage(join(dir, 'missing'));

        expect(warn).toHaveBeenCalledTimes(1);
        expect(warn.mock.calls[0][0]).toContain(join(dir, 'missing'));
        expect(warn.mock.calls[0][0]).toContain('npm run build:admin');
      } finally {
        warn.mockRestore();
      }
    });

    it.each(['/admin', '/admin/webhooks', '/admin/assets/app-abc.js', '/admin/assets'])(
      'when %s is requested, then 503 problem JSON says to build it',
      async (path) => {
        app = await startPage(dir);

        const response = await request(app.getHttpServer()).get(path);

        expect(response.status).toBe(503);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.headers['content-security-policy']).toBeDefined();
        expect(response.body).toEqual({
          type: 'https://lmp.example/problems/admin-page-not-built',
          title: 'Admin page not built',
          status: 503,
          detail: expect.stringContaining('npm run build:admin'),
          instance: path,
        });
      },
    );

    it('when the page is built after start-up, then it is served without a restart', async () => {
      app = await startPage(dir);
      expect((await request(app.getHttpServer()).get('/admin/webhooks')).status).toBe(503);

      build();

      const response = await request(app.getHttpServer()).get('/admin/webhooks');
      expect(response.status).toBe(200);
      expect(response.text).toBe(INDEX);
    });
  });
});
