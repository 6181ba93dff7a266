import { JwtService } from '@nestjs/jwt';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApi } from '../../apps/api/src/configure-api';
import { startTestApp, type TestApp } from '../support/test-app';

// Bearer tokens as an attacker would try them against the real api (issue 13, "Tokens"): each test
// is one forged, stale or misdirected token, and asserts the refusal: 401 with a problem document.

const SECRET = 'security-tokens-signing-key-0123456789abcdef';
const ISSUER = 'https://id.example.com/';
const AUDIENCE = 'lmp-webhooks';
const now = () => Math.floor(Date.now() / 1000);
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const pemOf = (key: KeyObject, type: 'spki' | 'pkcs8') =>
  key.export({ type, format: 'pem' }).toString();

const idp = generateKeyPairSync('rsa', { modulusLength: 2048 });
const idpEc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** `sub`, `role` and a 10 minute `exp`, plus `extra`. */
const claims = (extra: object = {}) => ({
  sub: 'mallory',
  role: 'owner',
  iat: now(),
  exp: now() + 600,
  ...extra,
});
const hs256 = (payload: object, secret = SECRET) =>
  new JwtService({ secret }).sign(payload, { algorithm: 'HS256' });
const signed = (key: KeyObject, algorithm: 'RS256' | 'ES256', payload: object, kid?: string) =>
  new JwtService({ privateKey: pemOf(key, 'pkcs8') }).sign(payload, {
    algorithm,
    ...(kid === undefined ? {} : { keyid: kid }),
  });

async function call(api: TestApp, token: string) {
  const response = await fetch(`${api.url}/api/v1/webhooks`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), text };
}

async function expectRefused(api: TestApp, token: string) {
  const response = await call(api, token);
  expect(response.status).toBe(401);
  expect(response.type).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(response.text)).toMatchObject({ status: 401, title: 'Unauthorized' });
}

describe('security: bearer tokens', () => {
  describe('given AUTH_JWT_SECRET with an issuer, an audience and AUTH_JWT_MAX_LIFETIME=1h', () => {
    let api: TestApp;
    const good = { iss: ISSUER, aud: AUDIENCE };

    beforeAll(async () => {
      api = await startTestApp(ApiModule, {
        label: 'security_tokens_hs',
        configure: configureApi,
        env: {
          AUTH_JWT_SECRET: SECRET,
          AUTH_JWT_ISSUER: ISSUER,
          AUTH_JWT_AUDIENCE: AUDIENCE,
          AUTH_JWT_MAX_LIFETIME: '1h',
        },
      });
    });
    afterAll(() => api?.close());

    it('When a well-formed token calls, Then it is accepted (the baseline of the attacks below)', async () => {
      expect((await call(api, hs256(claims(good)))).status).toBe(200);
    });

    it('When a token without exp calls (it would never expire), Then 401', async () => {
      const { exp: _never, ...payload } = claims(good);

      await expectRefused(api, hs256(payload));
    });

    it('When a token living longer than AUTH_JWT_MAX_LIFETIME calls, Then 401', async () => {
      await expectRefused(api, hs256(claims({ ...good, exp: now() + 3600 + 60 })));
    });

    it('When a token from another issuer calls, Then 401', async () => {
      await expectRefused(api, hs256(claims({ ...good, iss: 'https://evil.example.com/' })));
    });

    it('When a token for another audience calls, Then 401', async () => {
      await expectRefused(api, hs256(claims({ ...good, aud: 'another-service' })));
    });

    it('When a token expired beyond the 30 s clock skew calls, Then 401', async () => {
      await expectRefused(api, hs256(claims({ ...good, iat: now() - 600, exp: now() - 45 })));
    });

    it('When a token expired within the 30 s clock skew calls, Then it is still accepted', async () => {
      const token = hs256(claims({ ...good, iat: now() - 600, exp: now() - 15 }));

      expect((await call(api, token)).status).toBe(200);
    });

    it('When an unsigned token (alg none) calls, Then 401', async () => {
      const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims(good))}.`;

      await expectRefused(api, token);
    });
  });

  describe("given AUTH_JWT_PUBLIC_KEY (the identity provider's RSA key)", () => {
    let api: TestApp;
    const publicPem = pemOf(idp.publicKey, 'spki');

    beforeAll(async () => {
      api = await startTestApp(ApiModule, {
        label: 'security_tokens_rsa',
        configure: configureApi,
        env: { AUTH_JWT_PUBLIC_KEY: publicPem },
      });
    });
    afterAll(() => api?.close());

    it('When an RS256 token of the identity provider calls, Then it is accepted', async () => {
      expect((await call(api, signed(idp.privateKey, 'RS256', claims()))).status).toBe(200);
    });

    it('When an HS256 token signed with the public key PEM as the HMAC secret calls (HS/RS confusion), Then 401', async () => {
      await expectRefused(api, hs256(claims(), publicPem));
    });

    it('When an RS256 token signed with a different key calls, Then 401', async () => {
      await expectRefused(api, signed(stranger.privateKey, 'RS256', claims()));
    });

    it('When an unsigned token (alg none) calls, Then 401', async () => {
      await expectRefused(api, `${b64url({ alg: 'none' })}.${b64url(claims())}.`);
    });
  });

  describe('given AUTH_JWT_JWKS_FILE with an RSA and an EC key', () => {
    let api: TestApp;
    let dir: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'security-jwks-'));
      const file = join(dir, 'jwks.json');
      writeFileSync(
        file,
        JSON.stringify({
          keys: [
            { ...idp.publicKey.export({ format: 'jwk' }), kid: 'rsa-2026', use: 'sig' },
            { ...idpEc.publicKey.export({ format: 'jwk' }), kid: 'ec-2026', alg: 'ES256' },
          ],
        }),
      );
      api = await startTestApp(ApiModule, {
        label: 'security_tokens_jwks',
        configure: configureApi,
        env: { AUTH_JWT_JWKS_FILE: file },
      });
    });
    afterAll(async () => {
      await api?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('When an ES256 token names the EC key by kid, Then it is accepted', async () => {
      const token = signed(idpEc.privateKey, 'ES256', claims(), 'ec-2026');

      expect((await call(api, token)).status).toBe(200);
    });

    it('When an RS256 token names the RSA key by kid, Then it is accepted', async () => {
      const token = signed(idp.privateKey, 'RS256', claims(), 'rsa-2026');

      expect((await call(api, token)).status).toBe(200);
    });

    it('When a token names an unknown kid, Then 401', async () => {
      await expectRefused(api, signed(stranger.privateKey, 'RS256', claims(), 'rsa-2027'));
    });

    it('When a token signed with another key names a known kid, Then 401', async () => {
      await expectRefused(api, signed(stranger.privateKey, 'RS256', claims(), 'rsa-2026'));
    });
  });
});
