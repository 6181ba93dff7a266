import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { ConfigurationError } from './configuration.error';
import { LEGACY_SECRETS_KEY_ID, SecretsKeyring, secretsKeyringProblem } from './secrets-keyring';

const b64 = (key: Buffer) => key.toString('base64');

function problemOf(value: string): ConfigurationError {
  try {
    SecretsKeyring.parse(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('SecretsKeyring.parse (SECRETS_ENCRYPTION_KEY)', () => {
  const a = randomBytes(32);
  const b = randomBytes(32);

  it('given a bare base64 key (the form from before key ids), when parsed, then it is one key under the legacy id', () => {
    const ring = SecretsKeyring.parse(b64(a));

    expect(LEGACY_SECRETS_KEY_ID).toBe('k0');
    expect(ring.ids).toEqual(['k0']);
    expect(ring.newestId).toBe('k0');
    expect(ring.key('k0')?.equals(a)).toBe(true);
  });

  it('given id:key entries, when parsed, then the first is the newest and every key is found by its id', () => {
    const ring = SecretsKeyring.parse(`k2:${b64(b)}, k0:${b64(a)}`);

    expect(ring.ids).toEqual(['k2', 'k0']);
    expect(ring.newestId).toBe('k2');
    expect(ring.key('k2')?.equals(b)).toBe(true);
    expect(ring.key('k0')?.equals(a)).toBe(true);
    expect(ring.key('k1')).toBeUndefined();
    expect(ring.has('k0')).toBe(true);
    expect(ring.has('k1')).toBe(false);
  });

  it('given a key handed out, when the caller overwrites it, then the ring keeps its own copy', () => {
    const ring = SecretsKeyring.parse(`k1:${b64(a)}`);

    ring.key('k1')?.fill(0);

    expect(ring.key('k1')?.equals(a)).toBe(true);
  });

  it.each([
    ['a short word', 'short'],
    ['the base64 of 31 bytes', randomBytes(31).toString('base64')],
    ['an id with a short key', `k1:${randomBytes(16).toString('base64')}`],
    ['an empty id', `:${b64(randomBytes(32))}`],
    ['an id with spaces', `my key:${b64(randomBytes(32))}`],
    ['an id of 40 characters', `${'k'.repeat(40)}:${b64(randomBytes(32))}`],
    ['a bare key beside an id:key entry', `k1:${b64(randomBytes(32))},${b64(randomBytes(32))}`],
    ['an empty entry', `k1:${b64(randomBytes(32))},,k0:${b64(randomBytes(32))}`],
    ['the same id twice', `k1:${b64(randomBytes(32))},k1:${b64(randomBytes(32))}`],
  ])(
    'given %s, when parsed, then the error names the variable and echoes nothing of the value',
    (_kind, value) => {
      const error = problemOf(value);

      expect(error.message).toContain('SECRETS_ENCRYPTION_KEY');
      for (const part of value.split(/[,:]/).filter((piece) => piece.length >= 4)) {
        expect(error.message).not.toContain(part);
      }
      expect(secretsKeyringProblem(value)).not.toBeNull();
    },
  );

  it('given a valid ring, when its problem is asked, then there is none', () => {
    expect(secretsKeyringProblem(`k1:${b64(a)},k0:${b64(b)}`)).toBeNull();
    expect(secretsKeyringProblem(b64(a))).toBeNull();
  });

  it('given a ring, when logged or serialized, then only its ids show, never a key', () => {
    const ring = SecretsKeyring.parse(`k2:${b64(b)},k0:${b64(a)}`);

    for (const shown of [JSON.stringify(ring), inspect(ring), String(ring)]) {
      expect(shown).toContain('k2');
      expect(shown).not.toContain(b64(a));
      expect(shown).not.toContain(b64(b));
      expect(shown).not.toContain(a.toString('hex'));
    }
  });

  it('given keys in code, when a ring is made of them, then wrong lengths are refused', () => {
    expect(SecretsKeyring.of({ id: 'k9', key: a }).newestId).toBe('k9');
    expect(SecretsKeyring.single(a).ids).toEqual(['k0']);
    expect(() => SecretsKeyring.of({ id: 'k1', key: randomBytes(16) })).toThrow(RangeError);
    expect(() => SecretsKeyring.of()).toThrow(RangeError);
  });
});
