import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { LEGACY_SECRETS_KEY_ID, SecretsKeyring } from '@app/config';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The prefix every webhook secret carries (Standard Webhooks). */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/**
 * A secret encrypted at rest with AES-256-GCM: a fresh random 12-byte IV per encryption, the 16-byte
 * authentication tag and the ciphertext, each base64. `v` names the scheme so it can change later;
 * `kid` the key of SECRETS_ENCRYPTION_KEY's keyring it was encrypted with (absent on ciphertexts made
 * before key ids: those are the legacy key's, `k0`). Plain JSON, so it can be stored as is.
 */
export interface EncryptedSecret {
  v: 1;
  kid?: string;
  iv: string;
  tag: string;
  data: string;
}

/**
 * The encrypted secret cannot be decrypted: it was altered, it is malformed, it was encrypted with
 * another key or bound to other associated data. The message never contains key or plaintext.
 */
export class SecretDecryptionError extends Error {
  override readonly name = 'SecretDecryptionError';
  constructor(reason = 'the encrypted secret is corrupt or was encrypted with another key') {
    super(`Cannot decrypt secret: ${reason}`);
  }
}

const SHOWABLE_KEY_ID = /^[A-Za-z0-9._-]{1,32}$/;

/**
 * The ciphertext names a key the keyring does not hold (removed from SECRETS_ENCRYPTION_KEY, or
 * never configured on this process). `keyId` is shown only when it has the form of a key id.
 */
export class UnknownSecretKeyError extends SecretDecryptionError {
  constructor(readonly keyId: string) {
    super(
      `its key ${SHOWABLE_KEY_ID.test(keyId) ? `"${keyId}"` : '(malformed id)'} is not in SECRETS_ENCRYPTION_KEY`,
    );
  }
}

/**
 * Encrypts and decrypts secrets (webhook signing secrets) with a keyring (AppConfig.secretsKeyring):
 * new ciphertexts under its newest key, carrying that key's id; decryption picks the key by the
 * ciphertext's id (none: the legacy id `k0`). A single 32-byte key is a ring of one under `k0`.
 * Optional associated data (e.g. the webhook id) is authenticated but not stored: a ciphertext then
 * only decrypts for the record it was made for.
 */
export class SecretBox {
  readonly #keys: SecretsKeyring;

  constructor(keys: SecretsKeyring | Buffer) {
    if (keys instanceof SecretsKeyring) {
      this.#keys = keys;
    } else {
      if (!Buffer.isBuffer(keys) || keys.length !== 32) {
        throw new RangeError('SecretBox needs a 32-byte key');
      }
      this.#keys = SecretsKeyring.single(keys);
    }
  }

  /** The id of the key new ciphertexts are made with. */
  get currentKeyId(): string {
    return this.#keys.newestId;
  }

  /** The key id a ciphertext names (the legacy id when it names none). */
  static keyIdOf(secret: EncryptedSecret): string {
    return typeof secret?.kid === 'string' ? secret.kid : LEGACY_SECRETS_KEY_ID;
  }

  /** True when the ciphertext is under the newest key already (nothing to re-encrypt). */
  isCurrent(secret: EncryptedSecret): boolean {
    return SecretBox.keyIdOf(secret) === this.#keys.newestId;
  }

  encrypt(plaintext: string, associatedData?: string): EncryptedSecret {
    const kid = this.#keys.newestId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#keyOf(kid), iv, { authTagLength: TAG_BYTES });
    if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      v: 1,
      kid,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  /**
   * @throws UnknownSecretKeyError when its key is not in the ring; SecretDecryptionError when the
   * secret is malformed, altered or not ours.
   */
  decrypt(secret: EncryptedSecret, associatedData?: string): string {
    const { kid, iv, tag, data } = parse(secret);
    // authTagLength pins the tag to 16 bytes: GCM would otherwise accept a truncated tag.
    const decipher = createDecipheriv(ALGORITHM, this.#keyOf(kid), iv, {
      authTagLength: TAG_BYTES,
    });
    if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError();
    }
  }

  #keyOf(kid: string): Buffer {
    const key = this.#keys.key(kid);
    if (!key) throw new UnknownSecretKeyError(kid);
    return key;
  }
}

function parse(secret: EncryptedSecret): { kid: string; iv: Buffer; tag: Buffer; data: Buffer } {
  const candidate = secret as Partial<Record<keyof EncryptedSecret, unknown>> | null;
  if (typeof candidate !== 'object' || candidate === null) {
    throw new SecretDecryptionError('not an encrypted secret');
  }
  if (candidate.v !== 1) throw new SecretDecryptionError('unknown version');
  if (candidate.kid !== undefined && typeof candidate.kid !== 'string') {
    throw new SecretDecryptionError('its key id is not a string');
  }
  const iv = decode(candidate.iv, 'iv');
  const tag = decode(candidate.tag, 'tag');
  const data = decode(candidate.data, 'data');
  if (iv.length !== IV_BYTES) throw new SecretDecryptionError(`iv must be ${IV_BYTES} bytes`);
  if (tag.length !== TAG_BYTES) throw new SecretDecryptionError(`tag must be ${TAG_BYTES} bytes`);
  return { kid: candidate.kid ?? LEGACY_SECRETS_KEY_ID, iv, tag, data };
}

function decode(value: unknown, field: string): Buffer {
  if (typeof value !== 'string' || !BASE64.test(value)) {
    throw new SecretDecryptionError(`${field} is not base64`);
  }
  return Buffer.from(value, 'base64');
}

/**
 * A new webhook signing secret: `whsec_` + base64 of `bytes` random bytes (Standard Webhooks:
 * receivers base64-decode the part after the prefix to get the HMAC key). 32 bytes by default.
 */
export function generateWebhookSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 24 || bytes > 64) {
    throw new RangeError('a webhook secret has 24 to 64 random bytes');
  }
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(bytes).toString('base64')}`;
}
