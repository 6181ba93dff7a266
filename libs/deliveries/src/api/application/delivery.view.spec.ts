import { attemptIdOf } from '../../storage/delivery.documents';
import type { DeliveryAttemptDocument, DeliveryDocument } from '../../storage/delivery.documents';
import { detailOf } from './delivery.view';

const at = new Date('2026-01-01T00:00:00.000Z');

const summary: DeliveryDocument = {
  _id: 'dlv_1',
  webhookId: 'wh_1',
  eventId: 'evt_1',
  eventType: 'license.created',
  environment: 'production',
  status: 'failed',
  attemptCount: 1,
  scheduledAttempts: 1,
  nextAttemptAt: null,
  lastAttempt: { number: 1, at, responseStatus: 500, error: 'HTTP 500', durationMs: 7 },
  failureReason: 'every attempt of the retry policy failed',
  requestedBy: null,
  createdAt: at,
  updatedAt: at,
  finishedAt: at,
};

/** An attempt as workers before the redaction stored it: the signatures in full. */
const storedBeforeRedaction = {
  _id: attemptIdOf('dlv_1', 1),
  deliveryId: 'dlv_1',
  webhookId: 'wh_1',
  eventId: 'evt_1',
  number: 1,
  at,
  trigger: 'automatic',
  requestedBy: null,
  url: 'https://receiver.example.com/hooks',
  requestHeaders: {
    'webhook-id': 'evt_1',
    'webhook-timestamp': '1767225600',
    'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    'x-webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  },
  responseStatus: 500,
  responseBody: 'down',
  durationMs: 7,
  error: 'HTTP 500',
  outcome: { status: 'failed', reason: 'every attempt of the retry policy failed' },
  scheduledAttempts: 1,
  token: 't',
} as unknown as DeliveryAttemptDocument;

describe('detailOf', () => {
  it('given an attempt stored with its signatures, when shown, then they read [redacted] and the other headers are kept', () => {
    const detail = detailOf(summary, [storedBeforeRedaction], null);

    expect(detail.attempts[0].requestHeaders).toEqual({
      'webhook-id': 'evt_1',
      'webhook-timestamp': '1767225600',
      'webhook-signature': '[redacted]',
      'x-webhook-signature': '[redacted]',
    });
    expect(JSON.stringify(detail)).not.toContain('g0hM9SsE');
  });
});
