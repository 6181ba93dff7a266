import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The prefix every webhook secret carries (Standard Webhooks). */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/**
 * A secret encrypted at rest with AES-256-GCM: a fresh random 12-byte IV per encryption, the 16-byte
 * authentication tag and the ciphertext, each base64. `v` names the scheme so it can change later.
 * Plain JSON, so it can be stored in an event or a document as is.
 */
export interface EncryptedSecret {
  v: 1;
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

/**
 * Encrypts and decrypts secrets (webhook signing secrets) with one 32-byte key, e.g.
 * AppConfig.secretsEncryptionKey. Optional associated data (e.g. the webhook id) is authenticated but
 * not stored: a ciphertext then only decrypts for the record it was made for.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
      throw new RangeError(`SecretBox needs a ${KEY_BYTES}-byte key`);
    }
    this.#key = Buffer.from(key);
  }

  encrypt(plaintext: string, associatedData?: string): EncryptedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      v: 1,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  /** @throws SecretDecryptionError when the secret is malformed, altered or not ours. */
  decrypt(secret: EncryptedSecret, associatedData?: string): string {
    const { iv, tag, data } = parse(secret);
    // authTagLength pins the tag to 16 bytes: GCM would otherwise accept a truncated tag.
    const decipher = createDecipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError();
    }
  }
}

function parse(secret: EncryptedSecret): { iv: Buffer; tag: Buffer; data: Buffer } {
  const candidate = secret as Partial<Record<keyof EncryptedSecret, unknown>> | null;
  if (typeof candidate !== 'object' || candidate === null) {
    throw new SecretDecryptionError('not an encrypted secret');
  }
  if (candidate.v !== 1) throw new SecretDecryptionError('unknown version');
  const iv = decode(candidate.iv, 'iv');
  const tag = decode(candidate.tag, 'tag');
  const data = decode(candidate.data, 'data');
  if (iv.length !== IV_BYTES) throw new SecretDecryptionError(`iv must be ${IV_BYTES} bytes`);
  if (tag.length !== TAG_BYTES) throw new SecretDecryptionError(`tag must be ${TAG_BYTES} bytes`);
  return { iv, tag, data };
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
