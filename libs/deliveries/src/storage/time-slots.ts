/**
 * Time slots: the day, hour, minute, second and tenth of a second an instant falls in, each
 * numbered from the epoch. The slot directory (slot-directory.ts) lists, per scope, which slots
 * hold records, from the day down; the records themselves carry the numbers of the slots they are
 * read by, as top-level fields: the second (a webhook's deliveries) and the tenth (the rest). An
 * equality on one selects exactly the records of one slot, which MongoDB (an index per field) and
 * the embedded FerretDB (it hands top-level equalities to PostgreSQL, and only those) both answer
 * from an index.
 */
export const SLOT_LEVELS = [
  { name: 'day', widthMs: 86_400_000 },
  { name: 'hour', widthMs: 3_600_000 },
  { name: 'minute', widthMs: 60_000 },
  { name: 'second', widthMs: 1_000, field: 'bySecond' },
  { name: 'tenth', widthMs: 100, field: 'byTenth' },
] as const;

/** The slot numbers a record carries: what its slots are read by. */
export interface TimeSlots {
  bySecond: number;
  byTenth: number;
}

export type SlotField = keyof TimeSlots;

export function timeSlotsOf(at: Date): TimeSlots {
  return { bySecond: slotNumber(3, at), byTenth: slotNumber(4, at) };
}

/** The number of the slot of `level` that `at` falls in. */
export function slotNumber(level: number, at: Date): number {
  return Math.floor(at.getTime() / SLOT_LEVELS[level].widthMs);
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

/** The equality that selects the records of a slot (of a level records carry). */
export function slotFilter({ level, slot }: Slot): Partial<TimeSlots> {
  const spec = SLOT_LEVELS[level];
  if (!('field' in spec)) throw new Error(`records are not read by ${spec.name}`);
  return { [spec.field]: slot };
}
