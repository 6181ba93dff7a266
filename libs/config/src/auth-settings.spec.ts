import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { loadAuthSettings } from './auth-settings';
import { ConfigurationError } from './configuration.error';

const SECRET = 'a-configured-hs256-secret-of-40-characters';
// Key pairs are made once per kind (an RSA pair takes a few hundred milliseconds).
const pairs = new Map<string, ReturnType<typeof generateKeyPairSync>>();
const pair = (name: string, make: () => ReturnType<typeof generateKeyPairSync>) => {
  if (!pairs.has(name)) pairs.set(name, make());
  return pairs.get(name) as ReturnType<typeof generateKeyPairSync>;
};
const rsa = () => pair('rsa', () => generateKeyPairSync('rsa', { modulusLength: 2048 }));
const ec = (namedCurve = 'P-256') =>
  pair(namedCurve, () => generateKeyPairSync('ec', { namedCurve }));
const pem = (pair: ReturnType<typeof rsa>) =>
  pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadAuthSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
  throw new Error(`loadAuthSettings accepted ${JSON.stringify(Object.keys(env))}`);
}

describe('loadAuthSettings (AUTH_JWT_*)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'auth-settings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const jwksFile = (keys: object[]): string => {
    const path = join(dir, 'jwks.json');
    writeFileSync(path, JSON.stringify({ keys }));
    return path;
  };
  const jwk = (pair: ReturnType<typeof rsa>, extra: object = {}) => ({
    ...pair.publicKey.export({ format: 'jwk' }),
    use: 'sig',
    ...extra,
  });

  describe('given AUTH_JWT_SECRET', () => {
    it('When loaded, Then tokens are verified HS256 with it, it can sign, and the defaults apply (24h, 30 s skew, no issuer or audience)', () => {
      const auth = loadAuthSettings({ AUTH_JWT_SECRET: SECRET });

      expect(auth.source).toBe('AUTH_JWT_SECRET');
      expect(auth.signingSecret).toBe(SECRET);
      expect(auth.keys).toHaveLength(1);
      expect(auth.keys[0].algorithm).toBe('HS256');
      expect(auth.keys[0].key.type).toBe('secret');
      expect(auth.maxLifetimeSeconds).toBe(24 * 3600);
      expect(auth.clockToleranceSeconds).toBe(30);
      expect(auth.issuer).toBeUndefined();
      expect(auth.audience).toBeUndefined();
    });

    it('When inspected or serialised, Then the secret does not show', () => {
      const auth = loadAuthSettings({ AUTH_JWT_SECRET: SECRET });

      expect(inspect(auth, { depth: 5 })).not.toContain(SECRET);
      expect(JSON.stringify(auth)).not.toContain(SECRET);
    });

    it('When it is under 32 characters, Then it is refused by name without echoing it', () => {
      const problems = problemsOf({ AUTH_JWT_SECRET: 'short-secret' });

      expect(problems.join('\n')).toContain('AUTH_JWT_SECRET');
      expect(problems.join('\n')).not.toContain('short-secret');
    });
  });

  describe('given issuer, audience and maximum lifetime', () => {
    it('When loaded, Then they are used', () => {
      const auth = loadAuthSettings({
        AUTH_JWT_SECRET: SECRET,
        AUTH_JWT_ISSUER: 'https://id.example.com/',
        AUTH_JWT_AUDIENCE: 'lmp-webhooks',
        AUTH_JWT_MAX_LIFETIME: '15m',
      });

      expect(auth.issuer).toBe('https://id.example.com/');
      expect(auth.audience).toBe('lmp-webhooks');
      expect(auth.maxLifetimeSeconds).toBe(900);
    });

    it.each(['soon', '0', '1.5h', '366d'])(
      'When AUTH_JWT_MAX_LIFETIME=%s, Then it is refused by name',
      (value) => {
        const problems = problemsOf({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_MAX_LIFETIME: value });

        expect(problems).toHaveLength(1);
        expect(problems[0]).toContain('AUTH_JWT_MAX_LIFETIME');
      },
    );
  });

  describe('given AUTH_JWT_PUBLIC_KEY', () => {
    it('When it is an RSA public key (PEM), Then tokens are verified RS256 and this service cannot sign', () => {
      const auth = loadAuthSettings({ AUTH_JWT_PUBLIC_KEY: pem(rsa()) });

      expect(auth.source).toBe('AUTH_JWT_PUBLIC_KEY');
      expect(auth.signingSecret).toBeUndefined();
      expect(auth.keys.map((key) => [key.algorithm, key.key.type])).toEqual([['RS256', 'public']]);
    });

    it('When it is an EC P-256 public key written on one line with \\n escapes, Then tokens are verified ES256', () => {
      const oneLine = pem(ec()).trim().replace(/\n/g, '\\n');

      const auth = loadAuthSettings({ AUTH_JWT_PUBLIC_KEY: oneLine });

      expect(auth.keys.map((key) => key.algorithm)).toEqual(['ES256']);
    });

    it.each([
      ['a private key', () => rsa().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()],
      ['not PEM', () => 'not-a-key'],
      [
        'a truncated PEM',
        () =>
          `-----BEGIN PUBLIC KEY-----\n${pem(rsa()).split('\n')[1]}\n-----END PUBLIC KEY-----\n`,
      ],
      ['an EC key on P-384', () => pem(ec('P-384'))],
      ['an RSA key of 1024 bits', () => pem(generateKeyPairSync('rsa', { modulusLength: 1024 }))],
    ])('When it is %s, Then it is refused by name', (_name, value) => {
      const problems = problemsOf({ AUTH_JWT_PUBLIC_KEY: value() });

      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain('AUTH_JWT_PUBLIC_KEY');
    });
  });

  describe('given AUTH_JWT_JWKS_FILE', () => {
    it('When it holds RSA and EC keys with kids, Then each is kept under its kid with its algorithm; encryption and unsupported keys are skipped', () => {
      const path = jwksFile([
        jwk(rsa(), { kid: 'rsa-1', alg: 'RS256' }),
        jwk(ec(), { kid: 'ec-1' }),
        jwk(rsa(), { kid: 'enc-1', use: 'enc' }),
        jwk(ec('P-384'), { kid: 'ec-384' }),
        jwk(rsa(), { kid: 'rs384', alg: 'RS384' }),
      ]);

      const auth = loadAuthSettings({ AUTH_JWT_JWKS_FILE: path });

      expect(auth.source).toBe('AUTH_JWT_JWKS_FILE');
      expect(auth.signingSecret).toBeUndefined();
      expect(auth.keys.map((key) => [key.kid, key.algorithm])).toEqual([
        ['rsa-1', 'RS256'],
        ['ec-1', 'ES256'],
      ]);
    });

    it.each<[string, () => string, string]>([
      ['missing', () => join(dir, 'none.json'), 'cannot read'],
      ['not JSON', () => (writeFileSync(join(dir, 'x.json'), '{'), join(dir, 'x.json')), 'JSON'],
      ['without keys', () => jwksFile([]), 'no RS256 or ES256'],
      ['a key without kid', () => jwksFile([jwk(rsa())]), 'kid'],
      ['a duplicate kid', () => jwksFile([jwk(rsa(), { kid: 'a' }), jwk(ec(), { kid: 'a' })]), 'a'],
      [
        'a private key',
        () => jwksFile([{ ...rsa().privateKey.export({ format: 'jwk' }), kid: 'p' }]),
        'private',
      ],
    ])('When the file is %s, Then it is refused by name', (_name, path, detail) => {
      const problems = problemsOf({ AUTH_JWT_JWKS_FILE: path() });

      expect(problems.join('\n')).toContain('AUTH_JWT_JWKS_FILE');
      expect(problems.join('\n')).toContain(detail);
    });
  });

  describe('exactly one way to verify', () => {
    it.each([
      [['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY']],
      [['AUTH_JWT_SECRET', 'AUTH_JWT_JWKS_FILE']],
      [['AUTH_JWT_PUBLIC_KEY', 'AUTH_JWT_JWKS_FILE']],
    ])('Given %j both set, When loaded, Then a ConfigurationError names them', (names) => {
      const values: Record<string, string> = {
        AUTH_JWT_SECRET: SECRET,
        AUTH_JWT_PUBLIC_KEY: pem(rsa()),
        AUTH_JWT_JWKS_FILE: jwksFile([jwk(rsa(), { kid: 'k' })]),
      };

      const problems = problemsOf(Object.fromEntries(names.map((name) => [name, values[name]])));

      expect(problems).toHaveLength(1);
      for (const name of names) expect(problems[0]).toContain(name);
      expect(problems[0]).not.toContain(SECRET);
    });
  });

  describe('given no way to verify', () => {
    it('When local mode is off, Then a ConfigurationError names the three variables and how to fix it, and no key is written', () => {
      const problems = problemsOf({ LOCAL_STATE_DIR: dir, NODE_ENV: 'production' });

      const message = problems.join('\n');
      for (const name of ['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWT_JWKS_FILE']) {
        expect(message).toContain(name);
      }
      expect(message).toContain('LOCAL_MODE=true');
      expect(existsSync(join(dir, 'keys'))).toBe(false);
    });

    it.each([{ LOCAL_MODE: 'true' }, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }])(
      'When local mode is on (%j), Then an owner-only local HS256 key is generated once and listed as a local default',
      (mode) => {
        const localDefaults: string[] = [];

        const auth = loadAuthSettings({ LOCAL_STATE_DIR: dir, ...mode }, localDefaults);
        const again = loadAuthSettings({ LOCAL_STATE_DIR: dir, ...mode });

        const file = join(dir, 'keys', 'auth-jwt-secret');
        expect(readFileSync(file, 'utf8').trim()).toBe(auth.signingSecret);
        expect(again.signingSecret).toBe(auth.signingSecret);
        expect(auth.keys[0].algorithm).toBe('HS256');
        expect(localDefaults).toEqual(['AUTH_JWT_SECRET']);
      },
    );

    it('When LOCAL_MODE=false under NODE_ENV=development, Then the explicit setting wins and it is refused', () => {
      expect(
        problemsOf({ LOCAL_STATE_DIR: dir, NODE_ENV: 'development', LOCAL_MODE: 'false' }).join(
          '\n',
        ),
      ).toContain('AUTH_JWT_SECRET');
    });

    it('When LOCAL_MODE is neither true nor false, Then it is refused by name', () => {
      expect(problemsOf({ LOCAL_STATE_DIR: dir, LOCAL_MODE: 'yes please' }).join('\n')).toContain(
        'LOCAL_MODE',
      );
    });
  });
});
