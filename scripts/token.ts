/**
 * Prints a bearer token for the admin API:
 *
 *   npm run token -- --role admin --sub alice [--ttl 12h]
 *
 * Signed HS256 with AUTH_JWT_SECRET as loadConfig resolves it, i.e. the local key under
 * .local/keys when the variable is unset: the token matches what the local api verifies.
 * Exit codes: 0 printed, 2 bad arguments, 78 bad configuration.
 */
import { parseArgs } from 'node:util';
import { ConfigurationError, loadConfig } from '@app/config';
import { isRole, parseDuration, ROLES, signAccessToken } from '@app/platform';

export const USAGE = `usage: npm run token -- --role <${ROLES.join('|')}> --sub <principal id> [--ttl <duration>]

  --role  the role claim: ${ROLES.join(' < ')}
  --sub   the subject (principal id), e.g. alice
  --ttl   how long the token is valid: 90s, 15m, 12h or 7d (default 12h)

Prints a bearer token signed with AUTH_JWT_SECRET (unset: the local key under .local/keys).`;

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
        ttl: { type: 'string', default: '12h' },
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
  const { role, sub = '', ttl = '12h' } = values;
  if (role === undefined) problems.push('--role is required');
  else if (!isRole(role))
    problems.push(`--role must be one of ${ROLES.join(', ')} (got "${role}")`);
  if (sub.trim() === '') problems.push('--sub is required');
  const ttlSeconds = parseDuration(ttl);
  if (ttlSeconds === undefined)
    problems.push(`--ttl must look like 90s, 15m, 12h or 7d (got "${ttl}")`);
  if (problems.length > 0 || !isRole(role) || ttlSeconds === undefined) {
    out.stderr(`${problems.map((problem) => `token: ${problem}`).join('\n')}\n\n${USAGE}\n`);
    return 2;
  }

  let secret: string;
  try {
    secret = loadConfig(env).authJwtSecret;
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    out.stderr(`token: ${error.message}\n`);
    return 78;
  }
  out.stdout(`${signAccessToken(secret, { id: sub.trim(), role }, ttlSeconds)}\n`);
  return 0;
}

if (require.main === module) {
  process.exitCode = runTokenCli(process.argv.slice(2), process.env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
