import { Controller, Get, Global, INestApplication, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppConfig } from '@app/config';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { CurrentPrincipal, Public, RequireRole } from './auth.decorators';
import { AuthModule } from './auth.module';
import type { Principal } from './principal';

const SECRET = 'test-auth-secret-that-is-long-enough-for-hs256';

@Controller('things')
class ThingsController {
  @Public()
  @Get('public')
  open(@CurrentPrincipal() principal: Principal | undefined) {
    return { public: true, principal: principal ?? null };
  }

  @Get('any')
  any(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @RequireRole('auditor')
  @Get('audit')
  audit(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @RequireRole('admin')
  @Get('admin')
  admin() {
    return { ok: true };
  }
}

@RequireRole('owner')
@Controller('settings')
class SettingsController {
  @Get()
  read() {
    return { ok: true };
  }

  @RequireRole('auditor')
  @Get('loosened')
  loosened() {
    return { ok: true };
  }

  @Public()
  @Get('open')
  open() {
    return { ok: true };
  }
}

@Global()
@Module({
  providers: [
    { provide: AppConfig, useValue: Object.assign(new AppConfig(), { authJwtSecret: SECRET }) },
  ],
  exports: [AppConfig],
})
class TestConfigModule {}

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('JwtAuthGuard (over HTTP)', () => {
  let app: INestApplication;
  const signer = new JwtService({ secret: SECRET });
  const token = (claims: object, options: Parameters<JwtService['sign']>[1] = {}): string =>
    signer.sign(claims, { algorithm: 'HS256', expiresIn: 60, ...options });
  const as = (role: string, sub = 'alice'): string => token({ role }, { subject: sub });
  const get = (path: string, bearer?: string) => {
    const call = request(app.getHttpServer()).get(path);
    return bearer === undefined ? call : call.set('Authorization', `Bearer ${bearer}`);
  };

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [TestConfigModule, AuthModule],
      controllers: [ThingsController, SettingsController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  describe('401 for a missing or bad token', () => {
    it('given no Authorization header, when calling a guarded route, then 401 with a Bearer challenge', async () => {
      const response = await get('/things/any');

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it.each([
      ['a Basic credential', 'Basic YWxpY2U6c2VjcmV0'],
      ['Bearer without a token', 'Bearer '],
      ['a bearer value that is not a JWT', 'Bearer not-a-jwt'],
      ['a JWT with garbage parts', 'Bearer abc.def.ghi'],
    ])('given %s, when calling a guarded route, then 401', async (_name, header) => {
      const response = await request(app.getHttpServer())
        .get('/things/any')
        .set('Authorization', header);

      expect(response.status).toBe(401);
    });

    it('given a token signed with another secret, when calling, then 401 invalid_token', async () => {
      const forged = new JwtService({ secret: 'another-secret' }).sign(
        { role: 'owner' },
        { subject: 'mallory', algorithm: 'HS256' },
      );

      const response = await get('/things/any', forged);

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    });

    it('given a token whose signature was altered, when calling, then 401', async () => {
      const [header, payload, signature] = as('owner').split('.');
      const flipped = signature.startsWith('A')
        ? `B${signature.slice(1)}`
        : `A${signature.slice(1)}`;
      const tampered = `${header}.${payload}.${flipped}`;

      expect((await get('/things/any', tampered)).status).toBe(401);
    });

    it('given an expired token, when calling, then 401', async () => {
      const expired = signer.sign(
        { role: 'owner', exp: Math.floor(Date.now() / 1000) - 60 },
        { subject: 'alice', algorithm: 'HS256' },
      );

      expect((await get('/things/any', expired)).status).toBe(401);
    });

    it('given a token not valid yet (nbf in the future), when calling, then 401', async () => {
      const early = token({ role: 'owner' }, { subject: 'alice', notBefore: 3600 });

      expect((await get('/things/any', early)).status).toBe(401);
    });

    it('given an unsigned token (alg none), when calling, then 401', async () => {
      const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'mallory', role: 'owner' })}.`;

      expect((await get('/things/any', unsigned)).status).toBe(401);
    });

    it('given a token signed with the right secret but HS512, when calling, then 401', async () => {
      const hs512 = signer.sign({ role: 'owner' }, { subject: 'alice', algorithm: 'HS512' });

      expect((await get('/things/any', hs512)).status).toBe(401);
    });

    it('given a token without a role claim, when calling, then 401', async () => {
      expect((await get('/things/any', token({}, { subject: 'alice' }))).status).toBe(401);
    });

    it('given a token with an unknown role, when calling, then 401', async () => {
      expect((await get('/things/any', as('root'))).status).toBe(401);
    });

    it('given a token without a subject, when calling, then 401', async () => {
      expect((await get('/things/any', token({ role: 'owner' }))).status).toBe(401);
    });
  });

  describe('roles', () => {
    it('given a viewer, when calling an auditor route, then 403', async () => {
      const response = await get('/things/audit', as('viewer'));

      expect(response.status).toBe(403);
    });

    it('given an auditor, when calling an auditor route, then 200 with the principal', async () => {
      const response = await get('/things/audit', as('auditor', 'bob'));

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ id: 'bob', role: 'auditor' });
    });

    it('given an owner, when calling an admin route, then 200', async () => {
      expect((await get('/things/admin', as('owner'))).status).toBe(200);
    });

    it('given an auditor, when calling an admin route, then 403', async () => {
      expect((await get('/things/admin', as('auditor'))).status).toBe(403);
    });

    it('given a viewer, when calling a route without @RequireRole, then 200 (any valid token)', async () => {
      const response = await get('/things/any', as('viewer', 'carol'));

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ id: 'carol', role: 'viewer' });
    });

    it('given a controller-level role, when an admin calls it, then 403; an owner gets 200', async () => {
      expect((await get('/settings', as('admin'))).status).toBe(403);
      expect((await get('/settings', as('owner'))).status).toBe(200);
    });

    it('given a handler role lower than its controller, when an auditor calls it, then 200', async () => {
      expect((await get('/settings/loosened', as('auditor'))).status).toBe(200);
      expect((await get('/settings/loosened', as('viewer'))).status).toBe(403);
    });
  });

  describe('@Public', () => {
    it('given a @Public route, when called without a token, then 200 and no principal', async () => {
      const response = await get('/things/public');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ public: true, principal: null });
    });

    it('given a @Public route, when called with a bad token, then the token is ignored', async () => {
      expect((await get('/things/public', 'garbage')).status).toBe(200);
    });

    it('given a @Public handler in a role-restricted controller, when called without a token, then 200', async () => {
      expect((await get('/settings/open')).status).toBe(200);
    });
  });
});

describe('JwtAuthGuard with ProblemDetailsFilter', () => {
  it('given no token, when rendered by the problem filter, then 401 problem+json keeps the Bearer challenge', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [TestConfigModule, AuthModule],
      controllers: [ThingsController],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new ProblemDetailsFilter(app.get(HttpAdapterHost)));
    await app.init();
    try {
      const response = await request(app.getHttpServer()).get('/things/any');

      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).toEqual({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'A bearer token is required.',
        instance: '/things/any',
      });
    } finally {
      await app.close();
    }
  });
});
