import type { ListedDeliveryDocument } from '../application/delivery.view';

/** A listed delivery created `secondsAgo` before 2026-03-01T12:00:00Z (unit-test fixture). */
export function listed(
  id: string,
  secondsAgo: number,
  overrides: Partial<ListedDeliveryDocument> = {},
): ListedDeliveryDocument {
  const createdAt = new Date(Date.parse('2026-03-01T12:00:00Z') - secondsAgo * 1000);
  return {
    _id: id,
    webhookId: 'wh-1',
    eventId: `evt-${id}`,
    eventType: 'license.created',
    environment: 'production',
    status: 'failed',
    attempts: [],
    attemptCount: 0,
    scheduledAttempts: 0,
    createdAt,
    updatedAt: createdAt,
    nextAttemptAt: null,
    ...overrides,
  };
}
