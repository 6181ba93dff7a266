import type { AttemptTrigger, DeliveryQueueDocument } from './delivery.documents';

/**
 * How `delivery_queue` is laid out so that a poll reads only due work by equality (FerretDB pushes
 * only top-level equality down to PostgreSQL; a `dueAt` range or a sort makes it decode the whole
 * queue in its own process).
 *
 * Every entry is in one lane, `<slot>/<webhook id>`:
 * - `manual/<webhook>`: attempts someone asked for (retry now, recover, test); due at once.
 * - `due:<minute>/<webhook>`: scheduled attempts (retries, parked deliveries) due within that
 *   minute since the epoch (`dueAt` decides within it).
 *
 * Two small directories say which lanes hold entries, each written by unique insert before the
 * entry itself (a duplicate means it is listed already), so a writer killed in between leaves a
 * listing without an entry, never an entry no poller finds:
 * - `delivery_queue_lanes`: one document per non-empty lane (`_id` the lane, its slot and webhook),
 *   found by `slot` equality.
 * - `delivery_queue_slots`: one document per minute slot that has lanes (never `manual`, which is
 *   always looked at), read whole at a worker's start and now and then, so nothing due is missed.
 *
 * A poller removes a directory document only after finding what it lists empty (a minute lane
 * only once its minute is well past, when no writer adds to it), and then looks again (and puts it
 * back when something arrived in between); a requested attempt's manual lane, which a poller may
 * unlist at any time, is listed again by its writer after the entry.
 */
export const DELIVERY_QUEUE_LANES_COLLECTION = 'delivery_queue_lanes';
export const DELIVERY_QUEUE_SLOTS_COLLECTION = 'delivery_queue_slots';

/** The slot of requested attempts: always looked at first. */
export const MANUAL_SLOT = 'manual';
/** How long a due slot spans. */
export const SLOT_MS = 60_000;

export interface QueueLaneDocument {
  /** The lane: `<slot>/<webhook id>`. */
  _id: string;
  slot: string;
  webhookId: string;
}

export interface QueueSlotDocument {
  /** `due:<minute>`. */
  _id: string;
  /** When the slot begins. */
  start: Date;
}

/** The minute slot that holds an attempt due at `dueAt`. */
export function dueSlotOf(dueAt: Date): string {
  return `due:${Math.floor(dueAt.getTime() / SLOT_MS)}`;
}

/** When a `due:<minute>` slot begins (ms since the epoch). */
export function slotStartOf(slot: string): number {
  return Number(slot.slice('due:'.length)) * SLOT_MS;
}

export function laneIdOf(slot: string, webhookId: string): string {
  return `${slot}/${webhookId}`;
}

/** The slot an entry belongs in: asked-for attempts are manual, the others by their due minute. */
export function slotFor(trigger: AttemptTrigger, dueAt: Date): string {
  return trigger === 'manual' ? MANUAL_SLOT : dueSlotOf(dueAt);
}

/** An entry without its lane, as the code that decides an attempt builds it. */
export type UnlanedQueueEntry = Omit<DeliveryQueueDocument, 'lane'>;

/** The entry in its lane. */
export function inLane(entry: UnlanedQueueEntry): DeliveryQueueDocument {
  return { ...entry, lane: laneIdOf(slotFor(entry.trigger, entry.dueAt), entry.webhookId) };
}

/** The directory documents that list an entry's lane, in the order they are written. */
export function directoryOf(entry: DeliveryQueueDocument): {
  lane: QueueLaneDocument;
  slot: QueueSlotDocument | null;
} {
  const slot = entry.lane.slice(0, entry.lane.length - entry.webhookId.length - 1);
  return {
    lane: { _id: entry.lane, slot, webhookId: entry.webhookId },
    slot: slot === MANUAL_SLOT ? null : { _id: slot, start: new Date(slotStartOf(slot)) },
  };
}
