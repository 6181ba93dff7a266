import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { generateSigningKeyPair } from '@app/webhooks';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { InvalidSigningSecretError, signWebhook, WEBHOOK_USER_AGENT } from './webhook-signature';

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('signWebhook', () => {
  it('given the Standard Webhooks spec test vector, when signed, then the signature matches the spec', () => {
    const headers = signWebhook({
      messageId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestampSeconds: 1614265330,
      body: '{"test": 2432232314}',
      secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      eventType: 'license.created',
    });

    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('given an event, when signed, then every promised header is there, in lower case, with the X- copies', () => {
    const headers = signWebhook({
      messageId: 'evt_1',
      timestampSeconds: 1_700_000_000,
      body: '{}',
      secrets: [newSecret()],
      eventType: 'license.created',
    });

    expect(headers).toEqual({
      'content-type': 'application/json',
      'user-agent': WEBHOOK_USER_AGENT,
      'webhook-id': 'evt_1',
      'webhook-timestamp': '1700000000',
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
      'x-webhook-id': 'evt_1',
      'x-webhook-timestamp': '1700000000',
      'x-webhook-signature': headers['webhook-signature'],
      'x-webhook-event': 'license.created',
    });
    for (const name of Object.keys(headers)) expect(name).toBe(name.toLowerCase());
    expect(headers['user-agent']).toContain('LMP-Webhooks');
  });

  it('given a current timestamp, when a receiver verifies with the standardwebhooks package, then it accepts the body', () => {
    const secret = newSecret();
    const body = JSON.stringify({ id: 'evt_2', type: 'license.created', data: { n: 'é€' } });

    const headers = signWebhook({
      messageId: 'evt_2',
      timestampSeconds: nowSeconds(),
      body,
      secrets: [secret],
      eventType: 'license.created',
    });

    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('given a body changed in transit, when verified, then the receiver rejects it', () => {
    const secret = newSecret();
    const headers = signWebhook({
      messageId: 'evt_3',
      timestampSeconds: nowSeconds(),
      body: '{"a":1}',
      secrets: [secret],
      eventType: 'license.created',
    });

    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow(WebhookVerificationError);
  });

  it('given a current and a rotated-out secret, when signed, then a receiver holding either one verifies and a stranger does not', () => {
    const current = newSecret();
    const previous = newSecret();
    const body = '{"id":"evt_4"}';

    const headers = signWebhook({
      messageId: 'evt_4',
      timestampSeconds: nowSeconds(),
      body,
      secrets: [current, previous],
      eventType: 'license.created',
    });

    const signatures = headers['webhook-signature'].split(' ');
    expect(signatures).toHaveLength(2);
    for (const signature of signatures) expect(signature).toMatch(/^v1,/);
    expect(new Webhook(current).verify(body, headers)).toEqual({ id: 'evt_4' });
    expect(new Webhook(previous).verify(body, headers)).toEqual({ id: 'evt_4' });
    expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
  });

  it('given two secrets, when signed, then the current secret signs first', () => {
    const current = newSecret();
    const headers = signWebhook({
      messageId: 'evt_5',
      timestampSeconds: 1_700_000_000,
      body: '{}',
      secrets: [current, newSecret()],
      eventType: 'license.created',
    });

    const alone = signWebhook({
      messageId: 'evt_5',
      timestampSeconds: 1_700_000_000,
      body: '{}',
      secrets: [current],
      eventType: 'license.created',
    });
    expect(headers['webhook-signature'].split(' ')[0]).toBe(alone['webhook-signature']);
  });

  it.each([
    ['no secret at all', []],
    ['a secret without the whsec_ prefix', ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw']],
    ['a secret that is not base64', ['whsec_not base64!']],
    ['an empty key', ['whsec_']],
  ])('given %s, when signed, then it fails rather than signing with a wrong key', (_, secrets) => {
    expect(() =>
      signWebhook({
        messageId: 'evt_6',
        timestampSeconds: 1_700_000_000,
        body: '{}',
        secrets,
        eventType: 'license.created',
      }),
    ).toThrow(InvalidSigningSecretError);
  });

  it('given a bad secret, when rejected, then the error does not echo it (errors end up in logs)', () => {
    const secret = 'whsec_Zm9vYmFy!!';

    expect(() =>
      signWebhook({
        messageId: 'evt_7',
        timestampSeconds: 1_700_000_000,
        body: '{}',
        secrets: [secret],
        eventType: 'license.created',
      }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('Zm9vYmFy') }));
  });
});

describe('signWebhook with an ed25519 key (Standard Webhooks v1a)', () => {
  /** What the spec tells a receiver to do: base64-decode the key after whpk_, verify the signed content. */
  const verifiesWith = (publicKey: string, headers: Record<string, string>, body: string) => {
    const key = createPublicKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        x: Buffer.from(publicKey.slice('whpk_'.length), 'base64').toString('base64url'),
      },
      format: 'jwk',
    });
    const content = Buffer.from(
      `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`,
      'utf8',
    );
    return headers['webhook-signature']
      .split(' ')
      .filter((entry) => entry.startsWith('v1a,'))
      .some((entry) => verify(null, content, key, Buffer.from(entry.slice(4), 'base64')));
  };

  it('given a whsk_ key, when signed, then the header is v1a,<base64 of 64 bytes> and verifies with node:crypto from the whpk_', () => {
    const { secretKey, publicKey } = generateSigningKeyPair();
    const body = JSON.stringify({ id: 'evt_a1', data: { n: 'é€' } });

    const headers = signWebhook({
      messageId: 'evt_a1',
      timestampSeconds: nowSeconds(),
      body,
      secrets: [secretKey],
      eventType: 'license.created',
    });

    expect(headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(headers['x-webhook-signature']).toBe(headers['webhook-signature']);
    expect(verifiesWith(publicKey, headers, body)).toBe(true);
    expect(verifiesWith(publicKey, headers, body.replace('é', 'e'))).toBe(false);
    expect(verifiesWith(generateSigningKeyPair().publicKey, headers, body)).toBe(false);
  });

  it('given a rotation from a whsec_ secret to a whsk_ key, when signed, then v1 and v1a are both sent, new first, and each receiver verifies', () => {
    const { secretKey, publicKey } = generateSigningKeyPair();
    const previous = newSecret();
    const body = '{"id":"evt_a2"}';

    const headers = signWebhook({
      messageId: 'evt_a2',
      timestampSeconds: nowSeconds(),
      body,
      secrets: [secretKey, previous],
      eventType: 'license.created',
    });

    const [first, second] = headers['webhook-signature'].split(' ');
    expect(first).toMatch(/^v1a,/);
    expect(second).toMatch(/^v1,/);
    expect(verifiesWith(publicKey, headers, body)).toBe(true);
    expect(new Webhook(previous).verify(body, headers)).toEqual({ id: 'evt_a2' });
  });

  it('given a rotation from one whsk_ key to another, when signed, then both v1a signatures verify with their own public keys', () => {
    const current = generateSigningKeyPair();
    const previous = generateSigningKeyPair();
    const body = '{}';

    const headers = signWebhook({
      messageId: 'evt_a3',
      timestampSeconds: nowSeconds(),
      body,
      secrets: [current.secretKey, previous.secretKey],
      eventType: 'license.created',
    });

    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verifiesWith(current.publicKey, headers, body)).toBe(true);
    expect(verifiesWith(previous.publicKey, headers, body)).toBe(true);
  });

  it('given a corrupt whsk_ key, when signed, then it fails without echoing the key', () => {
    expect(() =>
      signWebhook({
        messageId: 'evt_a4',
        timestampSeconds: 1_700_000_000,
        body: '{}',
        secrets: ['whsk_Zm9vYmFy'],
        eventType: 'license.created',
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'InvalidSigningSecretError',
        message: expect.not.stringContaining('Zm9vYmFy'),
      }),
    );
  });
});
