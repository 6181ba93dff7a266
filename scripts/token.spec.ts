import { JwtService } from '@nestjs/jwt';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTokenCli } from './token';

describe('npm run token', () => {
  let stateDir: string;
  let stdout: string;
  let stderr: string;
  const out = {
    stdout: (text: string) => void (stdout += text),
    stderr: (text: string) => void (stderr += text),
  };
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runTokenCli(args, { LOCAL_STATE_DIR: stateDir, ...env }, out);
  const verify = (token: string, secret: string) =>
    new JwtService({ secret }).verifyAsync(token, { algorithms: ['HS256'] });

  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'token-cli-'));
    stdout = '';
    stderr = '';
  });

  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('given AUTH_JWT_SECRET, when run with a role and subject, then it prints a token signed with it', async () => {
    const code = run(['--role', 'admin', '--sub', 'alice', '--ttl', '2h'], {
      AUTH_JWT_SECRET: 'configured-secret-of-at-least-32-characters',
    });

    expect(code).toBe(0);
    expect(stderr).toBe('');
    const claims = await verify(stdout.trim(), 'configured-secret-of-at-least-32-characters');
    expect(claims).toMatchObject({ sub: 'alice', role: 'admin' });
    expect(claims.exp - claims.iat).toBe(7200);
  });

  it('given no AUTH_JWT_SECRET (a checkout: local mode unless LOCAL_MODE=false), when run, then the token is signed with the local key the api uses', async () => {
    const code = run(['--role', 'viewer', '--sub', 'bob']);

    expect(code).toBe(0);
    const localKey = readFileSync(join(stateDir, 'keys', 'auth-jwt-secret'), 'utf8').trim();
    const claims = await verify(stdout.trim(), localKey);
    expect(claims).toMatchObject({ sub: 'bob', role: 'viewer' });
    expect(claims.exp - claims.iat).toBe(12 * 3600);
  });

  it.each([
    ['an unknown role', ['--role', 'root', '--sub', 'alice'], '--role must be one of'],
    ['no role', ['--sub', 'alice'], '--role is required'],
    ['no subject', ['--role', 'admin'], '--sub is required'],
    ['a bad ttl', ['--role', 'admin', '--sub', 'a', '--ttl', '12 hours'], '--ttl must look like'],
    ['an unknown option', ['--role', 'admin', '--sub', 'a', '--admin'], "Unknown option '--admin'"],
    ['a positional argument', ['admin'], 'positional'],
  ])('given %s, when run, then usage is printed and it exits 2', (_name, args, message) => {
    const code = run(args);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('usage: npm run token -- --role');
  });

  it('given --help, when run, then usage is printed and it exits 0', () => {
    expect(run(['--help'])).toBe(0);
    expect(stdout).toContain('usage:');
  });

  it('given a bad token setting, when run, then it exits 78 without printing a token', () => {
    const code = run(['--role', 'admin', '--sub', 'alice'], { AUTH_JWT_MAX_LIFETIME: 'soon' });

    expect(code).toBe(78);
    expect(stdout).toBe('');
    expect(stderr).toContain('AUTH_JWT_MAX_LIFETIME');
  });

  it('given LOCAL_MODE=false and no AUTH_JWT_SECRET, when run, then it exits 78 naming it and writes no key', () => {
    const code = run(['--role', 'admin', '--sub', 'alice'], { LOCAL_MODE: 'false' });

    expect(code).toBe(78);
    expect(stdout).toBe('');
    expect(stderr).toContain('AUTH_JWT_SECRET is not set');
    expect(existsSync(join(stateDir, 'keys'))).toBe(false);
  });

  describe('given public keys (the identity provider issues tokens)', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

    it.each([
      ['AUTH_JWT_PUBLIC_KEY', () => publicKey.export({ type: 'spki', format: 'pem' }).toString()],
      [
        'AUTH_JWT_JWKS_FILE',
        () => {
          const file = join(stateDir, 'jwks.json');
          writeFileSync(
            file,
            JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'a' }] }),
          );
          return file;
        },
      ],
    ])('When run with %s, Then it refuses with a clear message and exits 78', (name, value) => {
      const code = run(['--role', 'admin', '--sub', 'alice'], { [name]: value() });

      expect(code).toBe(78);
      expect(stdout).toBe('');
      expect(stderr).toContain(`tokens are verified with ${name}`);
      expect(stderr).toContain('cannot mint');
    });
  });

  describe('the lifetime', () => {
    const SECRET = 'configured-secret-of-at-least-32-characters';

    it.each(['25h', '999999999d'])(
      'given --ttl %s above AUTH_JWT_MAX_LIFETIME (default 24h), when run, then it exits 2 naming the maximum',
      (ttl) => {
        const code = run(['--role', 'admin', '--sub', 'alice', '--ttl', ttl], {
          AUTH_JWT_SECRET: SECRET,
        });

        expect(code).toBe(2);
        expect(stdout).toBe('');
        expect(stderr).toContain('AUTH_JWT_MAX_LIFETIME');
      },
    );

    it('given AUTH_JWT_MAX_LIFETIME=48h, when run with --ttl 36h, then the token lives 36 h', async () => {
      const code = run(['--role', 'admin', '--sub', 'alice', '--ttl', '36h'], {
        AUTH_JWT_SECRET: SECRET,
        AUTH_JWT_MAX_LIFETIME: '48h',
      });

      expect(code).toBe(0);
      const claims = await verify(stdout.trim(), SECRET);
      expect(claims.exp - claims.iat).toBe(36 * 3600);
    });

    it('given AUTH_JWT_MAX_LIFETIME=1h and no --ttl, when run, then the token lives 1 h (the default 12h is capped)', async () => {
      const code = run(['--role', 'admin', '--sub', 'alice'], {
        AUTH_JWT_SECRET: SECRET,
        AUTH_JWT_MAX_LIFETIME: '1h',
      });

      expect(code).toBe(0);
      const claims = await verify(stdout.trim(), SECRET);
      expect(claims.exp - claims.iat).toBe(3600);
    });

    it('given AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE, when run, then the token carries them', async () => {
      const code = run(['--role', 'admin', '--sub', 'alice'], {
        AUTH_JWT_SECRET: SECRET,
        AUTH_JWT_ISSUER: 'https://id.example.com/',
        AUTH_JWT_AUDIENCE: 'lmp-webhooks',
      });

      expect(code).toBe(0);
      expect(await verify(stdout.trim(), SECRET)).toMatchObject({
        iss: 'https://id.example.com/',
        aud: 'lmp-webhooks',
      });
    });
  });
});
