import { createHmac, type KeyObject, sign } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { isSigningSecretKey, signingKeyObjectOf } from '@app/webhooks';

/** Receivers see who is calling, e.g. in their access logs and allow-lists. */
export const WEBHOOK_USER_AGENT = 'LMP-Webhooks/1.0 (+https://www.standardwebhooks.com/)';

const SECRET_PREFIX = 'whsec_';
// Buffer.from(_, 'base64') skips characters that are not base64 instead of failing, so the shape is
// checked first: a corrupt secret must fail loudly, not sign with a different key.
const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

export interface SignatureInput {
  /** The platform event id: the same on every retry, so receivers can deduplicate. */
  messageId: string;
  /** Unix seconds of this attempt (not of the event): receivers reject stale timestamps. */
  timestampSeconds: number;
  /** The exact bytes sent; signing a re-serialised copy would break verification. */
  body: string;
  /**
   * Plaintext secrets, the current one first, then one still in its grace window: `whsec_<base64>`
   * (HMAC, `v1,`) or an ed25519 `whsk_<base64>` key (`v1a,`), so a rotation between schemes
   * carries one signature of each.
   */
  secrets: readonly string[];
  eventType: string;
}

/** A secret that cannot sign: a stored secret is corrupt, or none was given. */
export class InvalidSigningSecretError extends Error {
  override readonly name = 'InvalidSigningSecretError';
}

/**
 * The headers of one attempt, signed per Standard Webhooks (PRODUCT.md part 3, "Outgoing request").
 * One signature per secret, space separated (`v1,` HMAC-SHA256 for a `whsec_` secret, `v1a,`
 * ed25519 for a `whsk_` key), so during a rotation a receiver holding either the old or the new
 * secret (or public key) verifies. The `x-webhook-*` copies serve receivers written against them.
 * Names are lower case, as Node sends them and as receivers' frameworks normalise them anyway.
 */
export function signWebhook(input: SignatureInput): Record<string, string> {
  if (input.secrets.length === 0) {
    throw new InvalidSigningSecretError('a webhook needs at least one secret to sign with');
  }
  if (!Number.isSafeInteger(input.timestampSeconds) || input.timestampSeconds < 0) {
    throw new RangeError(
      `timestampSeconds must be whole Unix seconds, got ${input.timestampSeconds}`,
    );
  }
  const timestamp = String(input.timestampSeconds);
  const signedContent = `${input.messageId}.${timestamp}.${input.body}`;
  const signature = input.secrets.map((secret) => signatureOf(secret, signedContent)).join(' ');

  return {
    'content-type': 'application/json',
    'user-agent': WEBHOOK_USER_AGENT,
    'webhook-id': input.messageId,
    'webhook-timestamp': timestamp,
    'webhook-signature': signature,
    'x-webhook-id': input.messageId,
    'x-webhook-timestamp': timestamp,
    'x-webhook-signature': signature,
    'x-webhook-event': input.eventType,
  };
}

function signatureOf(secret: string, signedContent: string): string {
  const key = signingKeyOf(secret);
  if (Buffer.isBuffer(key)) {
    return `v1,${createHmac('sha256', key).update(signedContent).digest('base64')}`;
  }
  return `v1a,${sign(null, Buffer.from(signedContent, 'utf8'), key).toString('base64')}`;
}

/**
 * Signing keys as decoded (and checked) from their secrets, by secret: a webhook signs every
 * attempt with the same one or two, and decoding them each time cost more than the HMAC itself
 * (an ed25519 key object, many times more). Held in memory only, as the plaintext secrets are.
 */
const signingKeys = new LRUCache<string, Buffer | KeyObject>({ max: 10_000 });

function signingKeyOf(secret: string): Buffer | KeyObject {
  let key = signingKeys.get(secret);
  if (key === undefined) {
    key = isSigningSecretKey(secret) ? ed25519KeyOf(secret) : keyOf(secret);
    signingKeys.set(secret, key);
  }
  return key;
}

function ed25519KeyOf(secret: string): KeyObject {
  try {
    return signingKeyObjectOf(secret);
  } catch (error) {
    // Its message names the shape only, never the key.
    throw new InvalidSigningSecretError((error as Error).message);
  }
}

/** The HMAC key is the base64-decoded part after `whsec_`, not the string itself. */
function keyOf(secret: string): Buffer {
  // The message never includes the secret: errors end up in logs.
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw new InvalidSigningSecretError('a signing secret must start with whsec_');
  }
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (encoded === '' || !BASE64.test(encoded)) {
    throw new InvalidSigningSecretError('a signing secret must be whsec_ followed by base64');
  }
  return Buffer.from(encoded, 'base64');
}
