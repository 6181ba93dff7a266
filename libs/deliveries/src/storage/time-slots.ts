/**
 * Time slots: every stored delivery record carries the number of the day, hour, minute, second
 * and tenth of a second of its time (a delivery's creation, an event's receipt), one top-level
 * field per level. An equality on one of them selects exactly the records of one slot, which both
 * MongoDB (an index per field) and the embedded FerretDB (it hands top-level equalities to
 * PostgreSQL, and only those) answer from an index. Ranges and sorts are never needed to find a
 * slot, so reading the newest (or oldest) records costs what the slots read hold, however much
 * history is kept (see slot-walk.ts).
 */
export const SLOT_LEVELS = [
  { field: 'byDay', widthMs: 86_400_000 },
  { field: 'byHour', widthMs: 3_600_000 },
  { field: 'byMinute', widthMs: 60_000 },
  { field: 'bySecond', widthMs: 1_000 },
  { field: 'byTenth', widthMs: 100 },
] as const;

export type SlotField = (typeof SLOT_LEVELS)[number]['field'];

/** The slot numbers of one instant, as stored on a record. */
export type TimeSlots = Record<SlotField, number>;

export function timeSlotsOf(at: Date): TimeSlots {
  const ms = at.getTime();
  return {
    byDay: Math.floor(ms / 86_400_000),
    byHour: Math.floor(ms / 3_600_000),
    byMinute: Math.floor(ms / 60_000),
    bySecond: Math.floor(ms / 1_000),
    byTenth: Math.floor(ms / 100),
  };
}

/** One slot: level `level` of SLOT_LEVELS, number `slot`, i.e. [slot × width, (slot + 1) × width). */
export interface Slot {
  level: number;
  slot: number;
}

export function slotStartMs({ level, slot }: Slot): number {
  return slot * SLOT_LEVELS[level].widthMs;
}

export function slotEndMs({ level, slot }: Slot): number {
  return (slot + 1) * SLOT_LEVELS[level].widthMs;
}

/** The equality that selects the slot's records. */
export function slotFilter({ level, slot }: Slot): Record<string, number> {
  return { [SLOT_LEVELS[level].field]: slot };
}

export function isFinestLevel(level: number): boolean {
  return level === SLOT_LEVELS.length - 1;
}

/**
 * The slots of the next level inside `parent` that overlap [fromMs, toMs), newest first or oldest
 * first. The widths divide each other, so a parent holds a whole number of children.
 */
export function childSlots(
  parent: Slot,
  fromMs: number,
  toMs: number,
  order: 'newest' | 'oldest',
): Slot[] {
  const level = parent.level + 1;
  const width = SLOT_LEVELS[level].widthMs;
  const first = Math.floor(Math.max(slotStartMs(parent), fromMs) / width);
  const last = Math.ceil(Math.min(slotEndMs(parent), toMs) / width) - 1;
  const children: Slot[] = [];
  for (let slot = first; slot <= last; slot++) children.push({ level, slot });
  return order === 'newest' ? children.reverse() : children;
}

/** The days (level 0) that overlap [fromMs, toMs), newest first or oldest first. */
export function daySlots(fromMs: number, toMs: number, order: 'newest' | 'oldest'): Slot[] {
  const width = SLOT_LEVELS[0].widthMs;
  const days: Slot[] = [];
  for (let slot = Math.floor(fromMs / width); slot * width < toMs; slot++) {
    days.push({ level: 0, slot });
  }
  return order === 'newest' ? days.reverse() : days;
}
