import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

/**
 * Standard Webhooks' asymmetric scheme (`v1a`, ed25519): the platform signs with a private key
 * (`whsk_` + base64 of the 32-byte ed25519 seed, RFC 8032), receivers verify with the public key
 * (`whpk_` + base64 of its 32 raw bytes). The secret key is kept exactly like a `whsec_` secret:
 * encrypted in the secret store, never logged, never returned by the API. All crypto is node:crypto.
 */
export const SIGNING_SECRET_KEY_PREFIX = 'whsk_';
export const SIGNING_PUBLIC_KEY_PREFIX = 'whpk_';

export type SignatureScheme = 'symmetric' | 'asymmetric';
export const SIGNATURE_SCHEMES: readonly SignatureScheme[] = ['symmetric', 'asymmetric'];

export function isSignatureScheme(value: unknown): value is SignatureScheme {
  return value === 'symmetric' || value === 'asymmetric';
}

const ED25519_BYTES = 32;
// The fixed PKCS#8 prefix of an ed25519 private key (RFC 8410): node:crypto imports a raw seed
// through it; a JWK would need the public half as well.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const BASE64 = /^[A-Za-z0-9+/]{43}=$/;

export class InvalidSigningKeyError extends Error {
  override readonly name = 'InvalidSigningKeyError';
}

export interface SigningKeyPair {
  /** `whsk_…`: sealed in the secret store at once, shown nowhere. */
  secretKey: string;
  /** `whpk_…`: not a secret; what receivers verify with. */
  publicKey: string;
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const seed = Buffer.from(String(jwk.d), 'base64url');
  return {
    secretKey: `${SIGNING_SECRET_KEY_PREFIX}${seed.toString('base64')}`,
    publicKey: encodePublicKey(publicKey),
  };
}

export function isSigningSecretKey(secret: string): boolean {
  return secret.startsWith(SIGNING_SECRET_KEY_PREFIX);
}

/** The private key object a `whsk_` key stands for. Errors never include the key. */
export function signingKeyObjectOf(secretKey: string): KeyObject {
  const seed = decode(secretKey, SIGNING_SECRET_KEY_PREFIX, 'secret key');
  return createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
}

/** The `whpk_` public key of a `whsk_` secret key. */
export function publicKeyOf(secretKey: string): string {
  return encodePublicKey(createPublicKey(signingKeyObjectOf(secretKey)));
}

/** The public key object of a `whpk_` key, as a receiver builds it. */
export function publicKeyObjectOf(publicKey: string): KeyObject {
  const raw = decode(publicKey, SIGNING_PUBLIC_KEY_PREFIX, 'public key');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

function encodePublicKey(key: KeyObject): string {
  const raw = Buffer.from(String(key.export({ format: 'jwk' }).x), 'base64url');
  return `${SIGNING_PUBLIC_KEY_PREFIX}${raw.toString('base64')}`;
}

function decode(key: string, prefix: string, what: string): Buffer {
  if (!key.startsWith(prefix)) {
    throw new InvalidSigningKeyError(`an ed25519 ${what} must start with ${prefix}`);
  }
  const encoded = key.slice(prefix.length);
  if (!BASE64.test(encoded)) {
    throw new InvalidSigningKeyError(
      `an ed25519 ${what} must be ${prefix} followed by the base64 of ${ED25519_BYTES} bytes`,
    );
  }
  return Buffer.from(encoded, 'base64');
}
