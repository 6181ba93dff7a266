import type { DeliveryDocument, DeliveryStatus } from './delivery.documents';
import { FINEST_LEVEL, type SlotScope } from './slot-directory';

/** Statuses a delivery ends in, and so keeps: listed by directory (the others are work in progress). */
export const FINISHED_STATUSES: readonly DeliveryStatus[] = ['succeeded', 'failed'];

/** One level coarser for a webhook: most send a few deliveries a second at most. */
const WEBHOOK_FINEST = FINEST_LEVEL - 1;

export const ALL_DELIVERIES: SlotScope = { key: 'a', finest: FINEST_LEVEL };
/**
 * Events come at a fraction of the deliveries' rate (one per fan-out) and only retention reads
 * their directory: a second of them is one small pruning step, where tenths made a step per handful.
 */
export const ALL_EVENTS: SlotScope = { key: 'e', finest: FINEST_LEVEL - 1 };

export const webhookScope = (webhookId: string): SlotScope => ({
  key: `w:${webhookId}`,
  finest: WEBHOOK_FINEST,
});
export const eventTypeScope = (eventType: string): SlotScope => ({
  key: `t:${eventType}`,
  finest: FINEST_LEVEL,
});
export const statusScope = (status: DeliveryStatus): SlotScope => ({
  key: `s:${status}`,
  finest: FINEST_LEVEL,
});

/** The directory scopes that list a delivery summary (slot-directory.ts). */
export function scopesOf(
  summary: Pick<DeliveryDocument, 'webhookId' | 'eventType' | 'status'>,
): SlotScope[] {
  const scopes = [
    ALL_DELIVERIES,
    webhookScope(summary.webhookId),
    eventTypeScope(summary.eventType),
  ];
  if (FINISHED_STATUSES.includes(summary.status)) scopes.push(statusScope(summary.status));
  return scopes;
}
