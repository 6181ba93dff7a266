import { createHash } from 'node:crypto';

/**
 * The id of the delivery of one platform event to one webhook. Derived, not random, so that the same
 * event seen twice (a Kafka redelivery, a producer retry) maps to the same delivery and is recorded
 * once. Manual test events use their own fresh event id.
 */
export function deliveryIdOf(eventId: string, webhookId: string): string {
  const digest = createHash('sha256').update(eventId).update('\u0000').update(webhookId).digest();
  return `dlv_${digest.subarray(0, 16).toString('base64url')}`;
}
