import { Controller, Get, Global, INestApplication, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, loadAuthSettings } from '@app/config';
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
    {
      provide: AppConfig,
      useValue: Object.assign(new AppConfig(), {
        auth: loadAuthSettings({ AUTH_JWT_SECRET: SECRET }),
      }),
    },
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

/** Boots ThingsController behind AuthModule with the AUTH_JWT_* settings of `env`. */
async function appWith(env: NodeJS.ProcessEnv): Promise<INestApplication> {
  @Global()
  @Module({
    providers: [
      {
        provide: AppConfig,
        useValue: Object.assign(new AppConfig(), { auth: loadAuthSettings(env) }),
      },
    ],
    exports: [AppConfig],
  })
  class ConfigWith {}
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigWith, AuthModule],
    controllers: [ThingsController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useGlobalFilters(new ProblemDetailsFilter(app.get(HttpAdapterHost)));
  await app.init();
  return app;
}

describe('JwtAuthGuard: expiry, lifetime, issuer and audience', () => {
  let app: INestApplication;
  const now = () => Math.floor(Date.now() / 1000);
  const signer = new JwtService({ secret: SECRET });
  const sign = (claims: object) =>
    signer.sign({ sub: 'alice', role: 'admin', ...claims }, { algorithm: 'HS256' });
  const call = (token: string) =>
    request(app.getHttpServer()).get('/things/any').set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    app = await appWith({
      AUTH_JWT_SECRET: SECRET,
      AUTH_JWT_MAX_LIFETIME: '1h',
      AUTH_JWT_ISSUER: 'https://id.example.com/',
      AUTH_JWT_AUDIENCE: 'lmp-webhooks',
    });
  });
  afterAll(() => app.close());

  const good = { iss: 'https://id.example.com/', aud: 'lmp-webhooks' };

  it('Given a token with exp, iss and aud within the limits, When calling, Then 200', async () => {
    expect((await call(sign({ ...good, exp: now() + 600 }))).status).toBe(200);
  });

  it('Given a token without exp, When calling, Then 401 problem JSON saying so', async () => {
    const response = await call(sign(good));

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(response.body.detail).toBe('The bearer token has no expiry (exp).');
  });

  it('Given exp - iat above the maximum lifetime, When calling, Then 401', async () => {
    const iat = now();
    const response = await call(sign({ ...good, iat, exp: iat + 3601 }));

    expect(response.status).toBe(401);
    expect(response.body.detail).toContain('longer than');
  });

  it('Given exactly the maximum lifetime, When calling, Then 200', async () => {
    const iat = now();
    expect((await call(sign({ ...good, iat, exp: iat + 3600 }))).status).toBe(200);
  });

  it('Given no iat and exp more than the maximum lifetime away, When calling, Then 401 (exp - now counts)', async () => {
    const token = new JwtService({ secret: SECRET }).sign(
      { sub: 'alice', role: 'admin', ...good, exp: now() + 7200 },
      { algorithm: 'HS256', noTimestamp: true },
    );

    expect((await call(token)).status).toBe(401);
  });

  it('Given iat in the future beyond the clock skew, When calling, Then 401', async () => {
    const iat = now() + 120;
    expect((await call(sign({ ...good, iat, exp: iat + 60 }))).status).toBe(401);
  });

  it('Given a token expired 20 s ago (within the 30 s skew), When calling, Then 200', async () => {
    expect((await call(sign({ ...good, iat: now() - 600, exp: now() - 20 }))).status).toBe(200);
  });

  it('Given a token expired 40 s ago (beyond the 30 s skew), When calling, Then 401', async () => {
    expect((await call(sign({ ...good, iat: now() - 600, exp: now() - 40 }))).status).toBe(401);
  });

  it.each([
    ['a wrong issuer', { iss: 'https://evil.example.com/', aud: good.aud }],
    ['no issuer', { aud: good.aud }],
    ['a wrong audience', { iss: good.iss, aud: 'another-service' }],
    ['no audience', { iss: good.iss }],
  ])('Given %s, When calling, Then 401', async (_name, claims) => {
    expect((await call(sign({ ...claims, exp: now() + 600 }))).status).toBe(401);
  });
});

describe('JwtAuthGuard with public keys', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const exp = () => Math.floor(Date.now() / 1000) + 600;
  const claims = () => ({ sub: 'alice', role: 'admin', exp: exp() });
  const call = (app: INestApplication, token: string) =>
    request(app.getHttpServer()).get('/things/any').set('Authorization', `Bearer ${token}`);

  describe('Given AUTH_JWT_PUBLIC_KEY (RSA)', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await appWith({ AUTH_JWT_PUBLIC_KEY: publicPem });
    });
    afterAll(() => app.close());

    it('When an RS256 token of its private key calls, Then 200', async () => {
      const token = new JwtService({
        privateKey: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      }).sign(claims(), { algorithm: 'RS256' });

      expect((await call(app, token)).status).toBe(200);
    });

    it('When an HS256 token signed with the public key PEM as its secret calls, Then 401', async () => {
      const forged = new JwtService({ secret: publicPem }).sign(claims(), { algorithm: 'HS256' });

      expect((await call(app, forged)).status).toBe(401);
    });

    it('When an ES256 token calls, Then 401 (only RS256 under an RSA key)', async () => {
      const token = new JwtService({
        privateKey: ec.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      }).sign(claims(), { algorithm: 'ES256' });

      expect((await call(app, token)).status).toBe(401);
    });
  });

  describe('Given AUTH_JWT_JWKS_FILE', () => {
    let app: INestApplication;
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'guard-jwks-'));
      const file = join(dir, 'jwks.json');
      writeFileSync(
        file,
        JSON.stringify({
          keys: [
            { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1' },
            { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1' },
          ],
        }),
      );
      app = await appWith({ AUTH_JWT_JWKS_FILE: file });
    });
    afterAll(async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const signWith = (key: typeof rsa.privateKey, algorithm: 'RS256' | 'ES256', kid?: string) =>
      new JwtService({ privateKey: key.export({ type: 'pkcs8', format: 'pem' }) }).sign(claims(), {
        algorithm,
        ...(kid === undefined ? {} : { keyid: kid }),
      });

    it('When RS256 and ES256 tokens name their key by kid, Then both are accepted', async () => {
      expect((await call(app, signWith(rsa.privateKey, 'RS256', 'rsa-1'))).status).toBe(200);
      expect((await call(app, signWith(ec.privateKey, 'ES256', 'ec-1'))).status).toBe(200);
    });

    it.each([
      ['an unknown kid', () => signWith(rsa.privateKey, 'RS256', 'rsa-2')],
      ['no kid', () => signWith(rsa.privateKey, 'RS256')],
      ['the kid of the other key', () => signWith(ec.privateKey, 'ES256', 'rsa-1')],
    ])('When a token with %s calls, Then 401', async (_name, token) => {
      expect((await call(app, token())).status).toBe(401);
    });
  });
});
