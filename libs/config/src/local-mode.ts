import { resolve } from 'node:path';
import { ConfigurationError } from './configuration.error';

/** Without LOCAL_MODE, local mode is on only under these NODE_ENV values (jest sets `test`). */
export const LOCAL_NODE_ENVS = ['development', 'test'];

const BOOLEAN: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

/**
 * Local mode: missing keys are generated under LOCAL_STATE_DIR/keys instead of stopping the app.
 * LOCAL_MODE=true|false decides; unset, it is on only when NODE_ENV is development or test, so the
 * Docker image (NODE_ENV=production) and a bare `node dist/...` never generate a key. `npm start`
 * sets LOCAL_MODE=true for the apps it starts.
 */
export function isLocalMode(env: NodeJS.ProcessEnv): boolean {
  const explicit = env.LOCAL_MODE?.trim().toLowerCase();
  if (explicit) {
    const value = BOOLEAN[explicit];
    if (value === undefined) throw new ConfigurationError(['LOCAL_MODE must be true or false']);
    return value;
  }
  return LOCAL_NODE_ENVS.includes(env.NODE_ENV?.trim() ?? '');
}

/** LOCAL_STATE_DIR (default `.local`), absolute: where local mode keeps its keys. */
export function localStateDir(env: NodeJS.ProcessEnv): string {
  return resolve(env.LOCAL_STATE_DIR?.trim() || '.local');
}

/**
 * The last line of a "key is not set" error: why no key was generated and the two ways out. The
 * same text for every missing key, so an error naming several keys says it once.
 */
export function missingKeysHint(env: NodeJS.ProcessEnv): string {
  const why = env.LOCAL_MODE?.trim()
    ? `LOCAL_MODE=${env.LOCAL_MODE.trim()}`
    : env.NODE_ENV?.trim()
      ? `NODE_ENV=${env.NODE_ENV.trim()}`
      : 'NODE_ENV is unset';
  return (
    `local mode is off (${why}), so no key is generated: set the keys above (README, ` +
    '"Configuration"; docs/operations.md, "Keys and local mode"), or set LOCAL_MODE=true on a ' +
    `development machine to generate local keys under ${localStateDir(env)}/keys`
  );
}
