import { redactSignatures, REDACTED } from './signature-redaction';
import { signWebhook } from './webhook-signature';

describe('redactSignatures', () => {
  it('given the headers an attempt is signed with, when redacted, then both signature headers read [redacted] and the rest is kept', () => {
    const headers = signWebhook({
      messageId: 'evt_1',
      timestampSeconds: 1_700_000_000,
      body: '{}',
      secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      eventType: 'license.created',
    });

    const redacted = redactSignatures(headers);

    expect(redacted).toEqual({
      ...headers,
      'webhook-signature': REDACTED,
      'x-webhook-signature': REDACTED,
    });
    expect(JSON.stringify(redacted)).not.toContain(headers['webhook-signature']);
    expect(REDACTED).toBe('[redacted]');
  });

  it('given signature headers in any case or of another name, when redacted, then every one is redacted', () => {
    expect(
      redactSignatures({
        'Webhook-Signature': 'v1,a',
        'X-Webhook-Signature': 'v1,a v1,b',
        'x-hub-signature-256': 'sha256=abc',
        'webhook-id': 'evt_1',
      }),
    ).toEqual({
      'Webhook-Signature': REDACTED,
      'X-Webhook-Signature': REDACTED,
      'x-hub-signature-256': REDACTED,
      'webhook-id': 'evt_1',
    });
  });

  it('given headers without a signature, when redacted, then they are returned as they are', () => {
    const headers = { 'content-type': 'application/json' };

    expect(redactSignatures(headers)).toEqual(headers);
    expect(redactSignatures({})).toEqual({});
  });

  it('given headers, when redacted, then the original is left untouched', () => {
    const headers = { 'webhook-signature': 'v1,a' };

    redactSignatures(headers);

    expect(headers).toEqual({ 'webhook-signature': 'v1,a' });
  });
});
