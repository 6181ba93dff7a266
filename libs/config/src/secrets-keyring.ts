import { inspect } from 'node:util';
import { ConfigurationError } from './configuration.error';

/**
 * The id of a key given the way it was before key ids (a bare base64 value), and of every ciphertext
 * that carries no id (those written then). Keep it on that key when adding a new one.
 */
export const LEGACY_SECRETS_KEY_ID = 'k0';

const VARIABLE = 'SECRETS_ENCRYPTION_KEY';
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,32}$/;
const BASE64_OF_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;
const FORMAT = '<id>:<base64 of 32 bytes>[,<id>:<base64 of 32 bytes>...], newest first';

export interface SecretsKey {
  id: string;
  key: Buffer;
}

/**
 * The keys that encrypt secrets at rest (SECRETS_ENCRYPTION_KEY), by id. The first is the newest: it
 * encrypts everything new; the others only decrypt what they encrypted earlier, until
 * `npm run secrets:reencrypt` has moved it to the newest and they are removed.
 *
 * Never shows a key: JSON, `util.inspect` and `String` give the ids only.
 */
export class SecretsKeyring {
  readonly #keys: ReadonlyMap<string, Buffer>;
  /** The ids, newest first. */
  readonly ids: readonly string[];

  private constructor(entries: readonly SecretsKey[]) {
    if (entries.length === 0) throw new RangeError('a keyring needs at least one key');
    const keys = new Map<string, Buffer>();
    for (const { id, key } of entries) {
      if (!KEY_ID.test(id)) throw new RangeError('a key id is 1 to 32 letters, digits, . _ or -');
      if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
        throw new RangeError(`a secrets encryption key has ${KEY_BYTES} bytes`);
      }
      if (keys.has(id)) throw new RangeError('a key id may appear once in a keyring');
      keys.set(id, Buffer.from(key));
    }
    this.#keys = keys;
    this.ids = Object.freeze([...keys.keys()]);
  }

  /** Keys given in code (tests, tools), newest first. */
  static of(...entries: SecretsKey[]): SecretsKeyring {
    return new SecretsKeyring(entries);
  }

  /** One key, under the legacy id unless told otherwise. */
  static single(key: Buffer, id = LEGACY_SECRETS_KEY_ID): SecretsKeyring {
    return new SecretsKeyring([{ id, key }]);
  }

  /**
   * Parses SECRETS_ENCRYPTION_KEY: `<id>:<base64>[,<id>:<base64>...]`, or one bare base64 key (the
   * legacy id). Throws a ConfigurationError naming the variable; it never echoes the value.
   */
  static parse(value: string): SecretsKeyring {
    const parsed = parseEntries(value);
    if (typeof parsed === 'string') throw new ConfigurationError([`${VARIABLE}: ${parsed}`]);
    return new SecretsKeyring(parsed);
  }

  get newestId(): string {
    return this.ids[0];
  }

  has(id: string): boolean {
    return this.#keys.has(id);
  }

  /** A copy of the key with this id; undefined when the ring has none. */
  key(id: string): Buffer | undefined {
    const key = this.#keys.get(id);
    return key ? Buffer.from(key) : undefined;
  }

  toJSON(): { ids: readonly string[] } {
    return { ids: this.ids };
  }

  toString(): string {
    return `SecretsKeyring(${this.ids.join(', ')})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * What is wrong with a SECRETS_ENCRYPTION_KEY value, in words that never quote it (entries are
 * named by their place); null when it is a valid keyring.
 */
export function secretsKeyringProblem(value: unknown): string | null {
  if (typeof value !== 'string') return `must be ${FORMAT}`;
  const parsed = parseEntries(value);
  return typeof parsed === 'string' ? parsed : null;
}

function parseEntries(value: string): SecretsKey[] | string {
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.length === 1 && !entries[0].includes(':')) {
    return BASE64_OF_32_BYTES.test(entries[0])
      ? [{ id: LEGACY_SECRETS_KEY_ID, key: Buffer.from(entries[0], 'base64') }]
      : `must be ${FORMAT} (or one bare base64 key of 32 bytes): it is not the base64 of exactly 32 bytes`;
  }
  const keys: SecretsKey[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const place = `entry ${index + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0)
      return `must be ${FORMAT}: ${place} has no id (a bare key is allowed alone only)`;
    const id = entry.slice(0, colon);
    const key = entry.slice(colon + 1);
    if (!KEY_ID.test(id)) {
      return `must be ${FORMAT}: the id of ${place} is not 1 to 32 letters, digits, . _ or -`;
    }
    if (seen.has(id)) return `must be ${FORMAT}: the id of ${place} appears twice`;
    if (!BASE64_OF_32_BYTES.test(key)) {
      return `must be ${FORMAT}: the key of ${place} is not the base64 of exactly 32 bytes`;
    }
    seen.add(id);
    keys.push({ id, key: Buffer.from(key, 'base64') });
  }
  return keys;
}
