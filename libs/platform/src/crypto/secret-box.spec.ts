import { randomBytes } from 'node:crypto';
import { SecretsKeyring } from '@app/config';
import {
  EncryptedSecret,
  SecretBox,
  SecretDecryptionError,
  UnknownSecretKeyError,
  generateWebhookSecret,
} from './secret-box';

/** Flips one bit of a base64 field, keeping it valid base64 of the same length. */
function flipBit(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0] ^= 0x01;
  return bytes.toString('base64');
}

function decryptionErrorOf(action: () => unknown): SecretDecryptionError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretDecryptionError);
    return error as SecretDecryptionError;
  }
  throw new Error('expected a SecretDecryptionError');
}

describe('SecretBox', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);
  const plaintext = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('given a plaintext, when encrypted and decrypted, then the plaintext comes back', () => {
    const encrypted = box.encrypt(plaintext);

    expect(box.decrypt(encrypted)).toBe(plaintext);
  });

  it('given a non-ASCII or empty plaintext, when round-tripped, then it is unchanged', () => {
    expect(box.decrypt(box.encrypt('sécret – 秘密 🔑'))).toBe('sécret – 秘密 🔑');
    expect(box.decrypt(box.encrypt(''))).toBe('');
  });

  it('given a plaintext, when encrypted, then the result is versioned base64 without the plaintext', () => {
    const encrypted = box.encrypt(plaintext);

    expect(encrypted.v).toBe(1);
    expect(Buffer.from(encrypted.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(encrypted.tag, 'base64')).toHaveLength(16);
    expect(Buffer.from(encrypted.data, 'base64').toString('base64')).toBe(encrypted.data);
    expect(JSON.stringify(encrypted)).not.toContain('MfKQ9r8G');
  });

  it('given the same plaintext twice, when encrypted, then IVs and ciphertexts differ', () => {
    const first = box.encrypt(plaintext);
    const second = box.encrypt(plaintext);

    expect(first.iv).not.toBe(second.iv);
    expect(first.data).not.toBe(second.data);
    expect(box.decrypt(first)).toBe(box.decrypt(second));
  });

  it.each(['data', 'tag', 'iv'] as const)(
    'given the %s was tampered with, when decrypted, then a SecretDecryptionError is thrown',
    (field) => {
      const encrypted = box.encrypt(plaintext);
      const tampered: EncryptedSecret = { ...encrypted, [field]: flipBit(encrypted[field]) };

      decryptionErrorOf(() => box.decrypt(tampered));
    },
  );

  it('given a truncated tag, when decrypted, then it is rejected', () => {
    const encrypted = box.encrypt(plaintext);
    const tag = Buffer.from(encrypted.tag, 'base64').subarray(0, 4).toString('base64');

    decryptionErrorOf(() => box.decrypt({ ...encrypted, tag }));
  });

  it('given malformed input, when decrypted, then a SecretDecryptionError is thrown', () => {
    const encrypted = box.encrypt(plaintext);

    decryptionErrorOf(() => box.decrypt({ ...encrypted, data: 'not base64!' }));
    decryptionErrorOf(() => box.decrypt({ ...encrypted, v: 2 } as unknown as EncryptedSecret));
    decryptionErrorOf(() => box.decrypt(null as unknown as EncryptedSecret));
    decryptionErrorOf(() => box.decrypt({ v: 1 } as unknown as EncryptedSecret));
  });

  it('given another key, when decrypted, then it fails without leaking key or plaintext', () => {
    const encrypted = box.encrypt(plaintext);
    const other = new SecretBox(randomBytes(32));

    const error = decryptionErrorOf(() => other.decrypt(encrypted));
    expect(error.message).not.toContain(plaintext);
    expect(error.message).not.toContain(key.toString('base64'));
  });

  it('given associated data, when decrypted with other associated data, then it fails', () => {
    const encrypted = box.encrypt(plaintext, 'webhook-1');

    expect(box.decrypt(encrypted, 'webhook-1')).toBe(plaintext);
    decryptionErrorOf(() => box.decrypt(encrypted, 'webhook-2'));
    decryptionErrorOf(() => box.decrypt(encrypted));
  });

  it('given a key that is not 32 bytes, when constructed, then it throws', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(RangeError);
    expect(() => new SecretBox('k'.repeat(32) as unknown as Buffer)).toThrow(RangeError);
  });

  it('given the key buffer is changed after construction, when decrypting, then the box is unaffected', () => {
    const mutable = randomBytes(32);
    const own = new SecretBox(mutable);
    const encrypted = own.encrypt(plaintext);
    mutable.fill(0);

    expect(own.decrypt(encrypted)).toBe(plaintext);
  });
});

describe('SecretBox with a keyring (SECRETS_ENCRYPTION_KEY with key ids)', () => {
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  const ringA = SecretsKeyring.of({ id: 'kA', key: keyA });
  const ringBA = SecretsKeyring.of({ id: 'kB', key: keyB }, { id: 'kA', key: keyA });
  const ringB = SecretsKeyring.of({ id: 'kB', key: keyB });
  const plaintext = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('given a ring of two keys, when encrypting, then the ciphertext is under the newest and names it', () => {
    const box = new SecretBox(ringBA);

    const encrypted = box.encrypt(plaintext, 'wh-1');

    expect(encrypted.kid).toBe('kB');
    expect(box.currentKeyId).toBe('kB');
    expect(box.isCurrent(encrypted)).toBe(true);
    expect(new SecretBox(ringB).decrypt(encrypted, 'wh-1')).toBe(plaintext);
  });

  it('given a ciphertext under an older key of the ring, when decrypted, then that key is picked by its id', () => {
    const underA = new SecretBox(ringA).encrypt(plaintext, 'wh-1');
    const box = new SecretBox(ringBA);

    expect(box.isCurrent(underA)).toBe(false);
    expect(box.decrypt(underA, 'wh-1')).toBe(plaintext);
  });

  it('given a legacy ciphertext without key id, when the ring holds k0, then it decrypts with k0', () => {
    const { kid, ...legacy } = new SecretBox(keyA).encrypt(plaintext, 'wh-1');
    expect(kid).toBe('k0');
    const ring = SecretsKeyring.of({ id: 'k1', key: keyB }, { id: 'k0', key: keyA });

    expect(SecretBox.keyIdOf(legacy)).toBe('k0');
    expect(new SecretBox(ring).decrypt(legacy, 'wh-1')).toBe(plaintext);
  });

  it('given a ciphertext whose key left the ring, when decrypted, then an UnknownSecretKeyError names the id, never the key', () => {
    const underA = new SecretBox(ringA).encrypt(plaintext, 'wh-1');

    const error = decryptionErrorOf(() => new SecretBox(ringB).decrypt(underA, 'wh-1'));

    expect(error).toBeInstanceOf(UnknownSecretKeyError);
    expect((error as UnknownSecretKeyError).keyId).toBe('kA');
    expect(error.message).toContain('"kA"');
    expect(error.message).toContain('SECRETS_ENCRYPTION_KEY');
    expect(error.message).not.toContain(keyA.toString('base64'));
    expect(error.message).not.toContain(plaintext);
  });

  it('given a ciphertext relabelled with another key id of the ring, when decrypted, then it fails', () => {
    const underA = new SecretBox(ringA).encrypt(plaintext, 'wh-1');

    decryptionErrorOf(() => new SecretBox(ringBA).decrypt({ ...underA, kid: 'kB' }, 'wh-1'));
  });

  it('given a key id that is no id at all, when decrypted, then the error does not echo it', () => {
    const encrypted = new SecretBox(ringA).encrypt(plaintext);
    const junk = '<script>'.repeat(10);

    const error = decryptionErrorOf(() =>
      new SecretBox(ringA).decrypt({ ...encrypted, kid: junk }),
    );
    expect(error.message).not.toContain(junk);
    decryptionErrorOf(() =>
      new SecretBox(ringA).decrypt({ ...encrypted, kid: 7 } as unknown as EncryptedSecret),
    );
  });
});

describe('generateWebhookSecret', () => {
  it('given no size, when generated, then it is whsec_ + base64 of 32 random bytes', () => {
    const secret = generateWebhookSecret();

    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    expect(key).toHaveLength(32);
    expect(key.toString('base64')).toBe(secret.slice('whsec_'.length));
  });

  it('given two generations, when compared, then they differ', () => {
    expect(generateWebhookSecret()).not.toBe(generateWebhookSecret());
  });

  it('given a size, when generated, then it has that many bytes', () => {
    expect(Buffer.from(generateWebhookSecret(24).slice(6), 'base64')).toHaveLength(24);
    expect(Buffer.from(generateWebhookSecret(64).slice(6), 'base64')).toHaveLength(64);
  });

  it('given a size outside 24..64 bytes, when generated, then it throws', () => {
    expect(() => generateWebhookSecret(8)).toThrow(RangeError);
    expect(() => generateWebhookSecret(65)).toThrow(RangeError);
    expect(() => generateWebhookSecret(32.5)).toThrow(RangeError);
  });
});
