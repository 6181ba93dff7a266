import { JwtService } from '@nestjs/jwt';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

  it('given no AUTH_JWT_SECRET, when run, then the token is signed with the local key the api uses', async () => {
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

  it('given a bad configuration, when run, then it exits 78 without printing a token', () => {
    const code = run(['--role', 'admin', '--sub', 'alice'], { PORT: 'not-a-port' });

    expect(code).toBe(78);
    expect(stdout).toBe('');
    expect(stderr).toContain('PORT');
  });
});
