import { createPublicKey, sign, verify } from 'node:crypto';
import {
  generateSigningKeyPair,
  isSigningSecretKey,
  publicKeyObjectOf,
  publicKeyOf,
  signingKeyObjectOf,
} from './signing-keys';

describe('ed25519 signing keys (Standard Webhooks v1a)', () => {
  it('given a new key pair, when encoded, then the secret key is whsk_ + base64 of the 32-byte seed and the public key whpk_ + base64 of the 32 raw bytes', () => {
    const { secretKey, publicKey } = generateSigningKeyPair();

    expect(secretKey).toMatch(/^whsk_[A-Za-z0-9+/]{43}=$/);
    expect(publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secretKey.slice(5), 'base64')).toHaveLength(32);
    expect(isSigningSecretKey(secretKey)).toBe(true);
    expect(isSigningSecretKey(`whsec_${secretKey.slice(5)}`)).toBe(false);
  });

  it('given a secret key, when its public key is derived, then it is the one generated with it', () => {
    const { secretKey, publicKey } = generateSigningKeyPair();

    expect(publicKeyOf(secretKey)).toBe(publicKey);
  });

  it('given content signed with the private key, when verified with node:crypto from the whpk_ alone, then it verifies, and a changed content does not', () => {
    const { secretKey, publicKey } = generateSigningKeyPair();
    const content = Buffer.from('msg_1.1700000000.{"a":1}');
    const signature = sign(null, content, signingKeyObjectOf(secretKey));
    // What a receiver does: the raw 32 bytes as a JWK `x`, nothing of ours.
    const receiverKey = createPublicKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        x: Buffer.from(publicKey.slice(5), 'base64').toString('base64url'),
      },
      format: 'jwk',
    });

    expect(verify(null, content, receiverKey, signature)).toBe(true);
    expect(verify(null, Buffer.from('msg_1.1700000000.{"a":2}'), receiverKey, signature)).toBe(
      false,
    );
    expect(publicKeyObjectOf(publicKey).equals(receiverKey)).toBe(true);
  });

  it('given a malformed secret key, when used, then it fails without echoing the key', () => {
    expect(() => signingKeyObjectOf('whsk_c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => signingKeyObjectOf('whsk_c2hvcnQ=')).not.toThrow(/c2hvcnQ/);
    expect(() => signingKeyObjectOf('whsec_abc')).toThrow(/whsk_/);
  });
});
