import { InvalidDeliveryCursorError } from '../delivery-api.errors';

/**
 * A place in the delivery list, which is ordered newest first by `createdAt`, then by id
 * (descending) so that deliveries created in the same millisecond still have one fixed order.
 * An empty id is the place just before every delivery created at `createdAt`: where a page whose
 * read budget ran out stopped (what is older than that is still to be read).
 */
export interface DeliveryPosition {
  createdAt: Date;
  id: string;
}

/** The place before everything created at or after `at` (the list goes on with older ones). */
export function positionBefore(at: Date): DeliveryPosition {
  return { createdAt: at, id: '' };
}

export function positionOf(delivery: { _id: string; createdAt: Date }): DeliveryPosition {
  return { createdAt: delivery.createdAt, id: delivery._id };
}

/** Negative when `a` comes first in the list (is newer), positive when it comes later. */
export function compareListOrder(a: DeliveryPosition, b: DeliveryPosition): number {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  if (byTime !== 0) return byTime;
  return a.id > b.id ? -1 : a.id < b.id ? 1 : 0;
}

/**
 * The cursor is opaque to clients: base64url of `{"t": <ISO time>, "id": <delivery id>}`, or of
 * `{"t": <ISO time>, "before": true}` for a positionBefore.
 */
export function encodeDeliveryCursor(position: DeliveryPosition): string {
  const t = position.createdAt.toISOString();
  const json = JSON.stringify(position.id === '' ? { t, before: true } : { t, id: position.id });
  return Buffer.from(json).toString('base64url');
}

export function decodeDeliveryCursor(cursor: string): DeliveryPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidDeliveryCursorError('The cursor is not one this API returned');
  }
  const { t, id, before } = (typeof decoded === 'object' && decoded !== null ? decoded : {}) as {
    t?: unknown;
    id?: unknown;
    before?: unknown;
  };
  const createdAt = typeof t === 'string' ? new Date(t) : new Date(NaN);
  if (before === true && id === undefined && !Number.isNaN(createdAt.getTime())) {
    return positionBefore(createdAt);
  }
  if (typeof id !== 'string' || id === '' || Number.isNaN(createdAt.getTime())) {
    throw new InvalidDeliveryCursorError('The cursor is damaged');
  }
  return { createdAt, id };
}
