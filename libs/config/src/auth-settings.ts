import { createPublicKey, createSecretKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigurationError } from './configuration.error';
import { parseDuration } from './duration';
import { localKey } from './local-keys';
import { isLocalMode, localStateDir, missingKeysHint } from './local-mode';

/** HS256 only with AUTH_JWT_SECRET; RS256 and ES256 only with the identity provider's public keys. */
export type AccessTokenAlgorithm = 'HS256' | 'RS256' | 'ES256';

/** A key bearer tokens are verified with, and the one algorithm a token under it may use. */
export interface VerificationKey {
  /** The JWKS `kid` a token names in its header; undefined for AUTH_JWT_SECRET and AUTH_JWT_PUBLIC_KEY. */
  kid?: string;
  algorithm: AccessTokenAlgorithm;
  /** A secret key (HS256) or a public key (RS256, ES256); never a private key. */
  key: KeyObject;
}

/** How the api verifies bearer tokens (AUTH_JWT_*). Exactly one source is configured. */
export interface AuthSettings {
  source: 'AUTH_JWT_SECRET' | 'AUTH_JWT_PUBLIC_KEY' | 'AUTH_JWT_JWKS_FILE';
  /**
   * The HS256 secret (AUTH_JWT_SECRET, or the local key in local mode): the only key this service can
   * mint tokens with. Undefined with public keys: the identity provider issues the tokens. Not
   * enumerable, so JSON.stringify and util.inspect leave it out; never log it.
   */
  readonly signingSecret?: string;
  /** One key (AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY), or the JWKS keys by `kid`. */
  keys: VerificationKey[];
  /** AUTH_JWT_ISSUER: the `iss` every token must carry; undefined: not checked. */
  issuer?: string;
  /** AUTH_JWT_AUDIENCE: an `aud` every token must carry; undefined: not checked. */
  audience?: string;
  /** AUTH_JWT_MAX_LIFETIME: `exp - iat` (without `iat`: `exp - now`) may be at most this. */
  maxLifetimeSeconds: number;
  /** Tolerated clock difference with the issuer for `exp`, `nbf` and `iat`. */
  clockToleranceSeconds: number;
}

export const DEFAULT_MAX_TOKEN_LIFETIME = '24h';
export const TOKEN_CLOCK_TOLERANCE_SECONDS = 30;
/** AUTH_JWT_MAX_LIFETIME itself is capped: a token valid for years is a credential that never ends. */
const MAX_MAX_LIFETIME_SECONDS = 365 * 86_400;
const SOURCES = ['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWT_JWKS_FILE'] as const;

/**
 * Resolves the AUTH_JWT_* settings; throws ConfigurationError naming every bad variable (never
 * echoing a secret). With none of the three sources set, local mode (see isLocalMode) generates an
 * HS256 key under LOCAL_STATE_DIR/keys and lists AUTH_JWT_SECRET in `localDefaults`; outside local
 * mode that is an error. Only the api (AuthModule) and `npm run token` call this: the worker never
 * reads, generates or needs a token key.
 */
export function loadAuthSettings(
  env: NodeJS.ProcessEnv,
  localDefaults: string[] = [],
): AuthSettings {
  const value = (name: string): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw;
  };
  const problems: string[] = [];

  const lifetimeText = value('AUTH_JWT_MAX_LIFETIME')?.trim() ?? DEFAULT_MAX_TOKEN_LIFETIME;
  const maxLifetimeSeconds = parseDuration(lifetimeText);
  if (maxLifetimeSeconds === undefined || maxLifetimeSeconds > MAX_MAX_LIFETIME_SECONDS) {
    problems.push(
      `AUTH_JWT_MAX_LIFETIME must look like 90s, 15m, 24h or 7d, at most 365d (got ${JSON.stringify(lifetimeText)})`,
    );
  }
  let localMode = false;
  try {
    localMode = isLocalMode(env);
  } catch (error) {
    problems.push(...(error as ConfigurationError).problems);
  }

  const configured = SOURCES.filter((name) => value(name) !== undefined);
  let keys: VerificationKey[] = [];
  let secret: string | undefined;
  if (configured.length > 1) {
    problems.push(
      `${configured.join(' and ')} are set: configure exactly one way to verify tokens ` +
        '(AUTH_JWT_SECRET for HS256 tokens this service mints, or AUTH_JWT_PUBLIC_KEY or ' +
        "AUTH_JWT_JWKS_FILE for the identity provider's RS256/ES256 tokens)",
    );
  } else if (configured[0] === 'AUTH_JWT_SECRET') {
    const configuredSecret = value('AUTH_JWT_SECRET') ?? '';
    if (configuredSecret.length < 32) {
      problems.push('AUTH_JWT_SECRET must be at least 32 characters');
    }
    secret = configuredSecret;
  } else if (configured[0] === 'AUTH_JWT_PUBLIC_KEY') {
    const key = publicKeyFromPem(value('AUTH_JWT_PUBLIC_KEY') as string, problems);
    if (key) keys = [key];
  } else if (configured[0] === 'AUTH_JWT_JWKS_FILE') {
    keys = keysFromJwksFile((value('AUTH_JWT_JWKS_FILE') as string).trim(), problems);
  } else if (!localMode && problems.length === 0) {
    problems.push(
      'AUTH_JWT_SECRET is not set, nor AUTH_JWT_PUBLIC_KEY or AUTH_JWT_JWKS_FILE (how the api verifies bearer tokens)',
      missingKeysHint(env),
    );
  }
  if (problems.length > 0) throw new ConfigurationError(problems);

  if (configured.length === 0) {
    // Local mode only (checked above); written once, then reused by the api and `npm run token`.
    localDefaults.push('AUTH_JWT_SECRET');
    secret = localKey(localStateDir(env), 'auth-jwt-secret', 48);
  }
  if (secret !== undefined) {
    keys = [{ algorithm: 'HS256', key: createSecretKey(Buffer.from(secret, 'utf8')) }];
  }
  const settings: AuthSettings = {
    source: configured[0] ?? 'AUTH_JWT_SECRET',
    keys,
    issuer: value('AUTH_JWT_ISSUER')?.trim(),
    audience: value('AUTH_JWT_AUDIENCE')?.trim(),
    maxLifetimeSeconds: maxLifetimeSeconds as number,
    clockToleranceSeconds: TOKEN_CLOCK_TOLERANCE_SECONDS,
  };
  Object.defineProperty(settings, 'signingSecret', { value: secret, enumerable: false });
  return settings;
}

/**
 * RS256 for an RSA key of 2048 bits or more, ES256 for an EC key on P-256; anything else (smaller RSA
 * keys, other curves, Ed25519, RSA-PSS) is not accepted: a short list leaves no algorithm to confuse.
 */
function algorithmOf(key: KeyObject): AccessTokenAlgorithm | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= 2048) return 'RS256';
  if (key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1') return 'ES256';
  return undefined;
}

/**
 * AUTH_JWT_PUBLIC_KEY is the PEM text itself (`-----BEGIN PUBLIC KEY-----`, as the identity provider
 * publishes it), not a path; `\n` escapes count as line breaks, so it fits on one line of an env file.
 */
function publicKeyFromPem(text: string, problems: string[]): VerificationKey | undefined {
  const pem = text.replace(/\\n/g, '\n').trim();
  if (/PRIVATE KEY-----/.test(pem)) {
    problems.push(
      "AUTH_JWT_PUBLIC_KEY holds a private key: give only the identity provider's public key",
    );
    return undefined;
  }
  let key: KeyObject;
  try {
    if (!/^-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem)) throw new Error('not PEM');
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    problems.push('AUTH_JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)');
    return undefined;
  }
  const algorithm = algorithmOf(key);
  if (!algorithm) {
    problems.push(
      'AUTH_JWT_PUBLIC_KEY must be an RSA key of at least 2048 bits (RS256) or an EC P-256 key (ES256)',
    );
    return undefined;
  }
  return { algorithm, key };
}

/**
 * AUTH_JWT_JWKS_FILE: a JWKS document (`{"keys": [...]}`), read once at start-up. Every signing key
 * (`use` absent or `sig`) that is RSA ≥ 2048 bits or EC P-256 and whose `alg`, if given, matches is
 * kept under its `kid`; encryption keys and other algorithms are skipped. A private or symmetric
 * key, a key without `kid` or a `kid` twice is an error.
 */
function keysFromJwksFile(path: string, problems: string[]): VerificationKey[] {
  const name = 'AUTH_JWT_JWKS_FILE';
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(resolve(path), 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push(code ? `${name}: cannot read ${path} (${code})` : `${name}: ${path} is not JSON`);
    return [];
  }
  const entries = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(entries)) {
    problems.push(`${name}: ${path} holds no "keys" array (a JWKS document)`);
    return [];
  }
  const keys: VerificationKey[] = [];
  const before = problems.length;
  entries.forEach((entry: unknown, index) => {
    const jwk = (entry ?? {}) as JsonWebKey & { kid?: unknown; use?: unknown; alg?: unknown };
    const label = typeof jwk.kid === 'string' && jwk.kid ? `key "${jwk.kid}"` : `key ${index}`;
    if (typeof entry !== 'object' || entry === null) {
      problems.push(`${name}: ${label} is not a JWK object`);
      return;
    }
    if ('d' in jwk || 'k' in jwk) {
      problems.push(`${name}: ${label} is a private or symmetric key: give only public keys`);
      return;
    }
    if (jwk.use !== undefined && jwk.use !== 'sig') return;
    if (typeof jwk.kid !== 'string' || jwk.kid === '') {
      problems.push(`${name}: ${label} has no "kid" (tokens name their key by kid)`);
      return;
    }
    let key: KeyObject;
    try {
      key = createPublicKey({ key: jwk, format: 'jwk' });
    } catch {
      problems.push(`${name}: ${label} is not a valid public JWK`);
      return;
    }
    const algorithm = algorithmOf(key);
    if (!algorithm || (jwk.alg !== undefined && jwk.alg !== algorithm)) return;
    if (keys.some((known) => known.kid === jwk.kid)) {
      problems.push(`${name}: kid "${jwk.kid}" appears twice`);
      return;
    }
    keys.push({ kid: jwk.kid, algorithm, key });
  });
  if (keys.length === 0 && problems.length === before) {
    problems.push(`${name}: ${path} holds no RS256 or ES256 signing key with a kid`);
  }
  return keys;
}
