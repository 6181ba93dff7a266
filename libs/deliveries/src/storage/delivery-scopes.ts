import type { DeliveryDocument, DeliveryStatus } from './delivery.documents';
import { FINEST_LEVEL, type SlotScope } from './slot-directory';
import { deliveryStatusClass, type StatusClass } from './status-class';

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

/** A webhook's environment: only a few values, each as busy as the deliveries of its webhooks. */
export const environmentScope = (environment: string): SlotScope => ({
  key: `env:${environment}`,
  finest: FINEST_LEVEL,
});
/**
 * The class of the latest attempt's answer (status-class.ts). Like a status, it moves as attempts
 * are made: each summary write lists the class it has then, so a class's directory may list a
 * slot whose summary has since moved to another class (a list then finds none there).
 */
export const statusClassScope = (statusClass: StatusClass): SlotScope => ({
  key: `c:${statusClass}`,
  finest: FINEST_LEVEL,
});

/**
 * A webhook's failed deliveries, and those of one class of answer other than 2xx: what its support
 * case and "recover" read. They are rare beside its successes, and a walk of the webhook's every
 * second to find them read up to a page's budget of slots for a few records.
 */
export const webhookFailedScope = (webhookId: string): SlotScope => ({
  key: `w:${webhookId}/s:failed`,
  finest: WEBHOOK_FINEST,
});
export const webhookClassScope = (webhookId: string, statusClass: StatusClass): SlotScope => ({
  key: `w:${webhookId}/c:${statusClass}`,
  finest: WEBHOOK_FINEST,
});

/** The directory scopes that list a delivery summary (slot-directory.ts). */
export function scopesOf(
  summary: Pick<DeliveryDocument, 'webhookId' | 'eventType' | 'status'> &
    Partial<Pick<DeliveryDocument, 'environment' | 'lastAttempt'>>,
): SlotScope[] {
  const scopes = [
    ALL_DELIVERIES,
    webhookScope(summary.webhookId),
    eventTypeScope(summary.eventType),
  ];
  if (FINISHED_STATUSES.includes(summary.status)) scopes.push(statusScope(summary.status));
  if (summary.environment) scopes.push(environmentScope(summary.environment));
  const statusClass = deliveryStatusClass(summary.lastAttempt ?? null);
  if (statusClass) scopes.push(statusClassScope(statusClass));
  if (summary.status === 'failed') scopes.push(webhookFailedScope(summary.webhookId));
  if (statusClass && statusClass !== '2xx') {
    scopes.push(webhookClassScope(summary.webhookId, statusClass));
  }
  return scopes;
}
