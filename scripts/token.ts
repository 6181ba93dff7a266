/**
 * Prints a bearer token for the admin API:
 *
 *   npm run token -- --role admin --sub alice [--ttl 12h]
 *
 * Signed HS256 with AUTH_JWT_SECRET as the api resolves it (loadAuthSettings), with its
 * AUTH_JWT_ISSUER / AUTH_JWT_AUDIENCE, and never longer than AUTH_JWT_MAX_LIFETIME. Run from a
 * checkout, it is in local mode unless LOCAL_MODE=false (as `npm start`): without AUTH_JWT_SECRET
 * it signs with the local key under .local/keys, which the local api verifies. With
 * AUTH_JWT_PUBLIC_KEY or AUTH_JWT_JWKS_FILE it refuses: the identity provider issues the tokens.
 * Exit codes: 0 printed, 2 bad arguments, 78 bad configuration.
 */
import { parseArgs } from 'node:util';
import { ConfigurationError, loadAuthSettings, type AuthSettings } from '@app/config';
import { isRole, parseDuration, ROLES, signAccessToken } from '@app/platform';

const DEFAULT_TTL_SECONDS = 12 * 3600;

export const USAGE = `usage: npm run token -- --role <${ROLES.join('|')}> --sub <principal id> [--ttl <duration>]

  --role  the role claim: ${ROLES.join(' < ')}
  --sub   the subject (principal id), e.g. alice
  --ttl   how long the token is valid: 90s, 15m, 12h or 7d (default 12h), at most
          AUTH_JWT_MAX_LIFETIME (default 24h)

Prints a bearer token signed with AUTH_JWT_SECRET (unset: the local key under .local/keys;
LOCAL_MODE=false refuses instead). With AUTH_JWT_PUBLIC_KEY or AUTH_JWT_JWKS_FILE this service
cannot mint tokens: get them from the identity provider.`;

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs the command; returns its exit code. */
export function runTokenCli(argv: string[], env: NodeJS.ProcessEnv, out: Output): number {
  let values: { role?: string; sub?: string; ttl?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        role: { type: 'string' },
        sub: { type: 'string' },
        ttl: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    out.stderr(`token: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    out.stdout(`${USAGE}\n`);
    return 0;
  }

  const problems: string[] = [];
  const { role, sub = '', ttl } = values;
  if (role === undefined) problems.push('--role is required');
  else if (!isRole(role))
    problems.push(`--role must be one of ${ROLES.join(', ')} (got "${role}")`);
  if (sub.trim() === '') problems.push('--sub is required');
  const ttlSeconds = ttl === undefined ? DEFAULT_TTL_SECONDS : parseDuration(ttl);
  if (ttlSeconds === undefined)
    problems.push(`--ttl must look like 90s, 15m, 12h or 7d (got "${ttl}")`);
  if (problems.length > 0 || !isRole(role) || ttlSeconds === undefined) {
    out.stderr(`${problems.map((problem) => `token: ${problem}`).join('\n')}\n\n${USAGE}\n`);
    return 2;
  }

  let auth: AuthSettings;
  try {
    // A checkout is a development machine: local mode unless LOCAL_MODE says otherwise.
    auth = loadAuthSettings({ ...env, LOCAL_MODE: env.LOCAL_MODE?.trim() || 'true' });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    out.stderr(`token: ${error.message}\n`);
    return 78;
  }
  if (auth.signingSecret === undefined) {
    out.stderr(
      `token: tokens are verified with ${auth.source}, so this service cannot mint them: ` +
        'get a token from the identity provider that holds the matching private key (or configure AUTH_JWT_SECRET instead)\n',
    );
    return 78;
  }
  const max = auth.maxLifetimeSeconds;
  if (ttl !== undefined && ttlSeconds > max) {
    out.stderr(
      `token: --ttl ${ttl} is longer than AUTH_JWT_MAX_LIFETIME (${max} s): the api would refuse the token\n\n${USAGE}\n`,
    );
    return 2;
  }
  const token = signAccessToken(
    auth.signingSecret,
    { id: sub.trim(), role },
    Math.min(ttlSeconds, max),
    { issuer: auth.issuer, audience: auth.audience },
  );
  out.stdout(`${token}\n`);
  return 0;
}

if (require.main === module) {
  process.exitCode = runTokenCli(process.argv.slice(2), process.env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
