import type { DeliveryAttemptDocument } from './delivery.documents';
import { attemptOf, storedAttempt } from './stored-attempt';

const AT = new Date('2026-12-02T10:00:00.123Z');

function attempt(overrides: Partial<DeliveryAttemptDocument> = {}): DeliveryAttemptDocument {
  return {
    _id: 'dlv_1:2',
    deliveryId: 'dlv_1',
    webhookId: 'wh_1',
    eventId: 'evt_1',
    number: 2,
    at: AT,
    trigger: 'manual',
    requestedBy: 'user:alice',
    url: 'https://example.com/hook',
    requestHeaders: { 'webhook-id': 'evt_1', 'webhook-signature': '[redacted]' },
    responseStatus: 503,
    responseBody: 'busy',
    durationMs: 42,
    error: 'HTTP 503',
    outcome: { status: 'retrying', nextAttemptAt: new Date('2026-12-02T10:05:00Z') },
    scheduledAttempts: 1,
    token: 'tok',
    bySecond: 1_796_205_600,
    byTenth: 17_962_056_001,
    ...overrides,
  };
}

describe('stored attempts', () => {
  it('given an attempt, when stored, then only its look-up keys and slots are fields of their own', () => {
    const stored = storedAttempt(attempt());

    expect(Object.keys(stored).sort()).toEqual(
      [
        '_id',
        'byTenth',
        'bySecond',
        'deliveryId',
        'details',
        'eventId',
        'number',
        'webhookId',
      ].sort(),
    );
    expect(typeof stored.details).toBe('string');
  });

  it('given a stored attempt, when read, then it is the attempt recorded, dates included', () => {
    const recorded = attempt();

    expect(attemptOf(storedAttempt(recorded))).toEqual(recorded);
  });

  it('given a finished attempt and a second send, when stored and read, then the outcome and duplicateOf survive', () => {
    const succeeded = attempt({ outcome: { status: 'succeeded' }, error: null });
    const duplicate = attempt({ _id: 'dlv_1:2~tok', duplicateOf: 2 });

    expect(attemptOf(storedAttempt(succeeded))).toEqual(succeeded);
    expect(storedAttempt(duplicate).duplicateOf).toBe(2);
    expect(attemptOf(storedAttempt(duplicate))).toEqual(duplicate);
  });

  it('given an attempt recorded before this shape (every field at the top), when read, then it is taken as it is', () => {
    const old = attempt();

    expect(attemptOf(old)).toBe(old);
  });
});
