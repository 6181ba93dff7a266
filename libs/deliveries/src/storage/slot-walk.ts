import {
  childSlots,
  daySlots,
  isFinestLevel,
  slotEndMs,
  slotFilter,
  slotStartMs,
  type Slot,
} from './time-slots';

/** Reads records: those matching `query`, at most `limit` of them (none: all), in any order. */
export type SlotReader<T> = (query: Record<string, unknown>, limit?: number) => Promise<T[]>;

export interface SlotWalkOptions<T> {
  /** The equalities every record must match (webhook, status, ...), handed to the reader as is. */
  filter: Record<string, unknown>;
  /** The time range to walk: [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  order: 'newest' | 'oldest';
  /**
   * How many records a slot may hold and still be read whole: a slot with fewer is read in one
   * query, a fuller one is split into its smaller slots (the finest are always read whole).
   */
  probe: number;
  /** A record's time: the one its slot fields were computed from. */
  timeOf: (record: T) => number;
  /** Orders the records of one slot as the walk goes (ties in time included). */
  compare: (a: T, b: T) => number;
  /** Probes made at once when a slot is split (the walk still yields in order). */
  concurrency?: number;
}

/** The records of one slot, complete; `slot` is null for the whole range read at once. */
export interface SlotRecords<T> {
  slot: Slot | null;
  records: T[];
}

/**
 * Walks the records of [fromMs, toMs) slot by slot, newest (or oldest) first, yielding each slot's
 * records in order (those outside the range left out). Each query reads either at most `probe` records ("does this slot hold fewer
 * than that? then here they all are"), or one slot of the finest level. No query has a range, a
 * sort or a count, which the embedded FerretDB would evaluate over everything the equalities
 * leave: the cost of a walk is what it yields plus a few probes, never the history kept.
 *
 * The whole range is probed first, so a filter that matches few records (one event's deliveries,
 * a quiet webhook) costs one query; then days, hours, minutes, seconds and tenths, only as deep as
 * the records are dense. A consumer stops the walk by leaving its loop.
 */
export async function* walkSlots<T>(
  read: SlotReader<T>,
  options: SlotWalkOptions<T>,
): AsyncGenerator<SlotRecords<T>> {
  const { fromMs, toMs } = options;
  if (fromMs >= toMs) return;
  const inRange = (record: T): boolean => {
    const at = options.timeOf(record);
    return at >= fromMs && at < toMs;
  };
  const complete = (records: T[]): T[] => records.filter(inRange).sort(options.compare);

  const whole = await read(options.filter, options.probe);
  if (whole.length < options.probe) {
    yield { slot: null, records: complete(whole) };
    return;
  }
  yield* walkChildren(daySlots(fromMs, toMs, options.order), read, options, complete);
}

async function* walkChildren<T>(
  slots: Slot[],
  read: SlotReader<T>,
  options: SlotWalkOptions<T>,
  complete: (records: T[]) => T[],
): AsyncGenerator<SlotRecords<T>> {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  for (let start = 0; start < slots.length; start += concurrency) {
    const window = slots.slice(start, start + concurrency);
    const probes = window.map((slot) => {
      const probe = read(
        { ...options.filter, ...slotFilter(slot) },
        isFinestLevel(slot.level) ? undefined : options.probe,
      );
      // Probes ahead of a consumer that stops early are left unread: never an unhandled rejection.
      probe.catch(() => undefined);
      return probe;
    });
    for (const [index, slot] of window.entries()) {
      const records = await probes[index];
      if (records.length === 0) continue;
      if (isFinestLevel(slot.level) || records.length < options.probe) {
        const found = complete(records);
        if (found.length > 0) yield { slot, records: found };
        continue;
      }
      const children = childSlots(slot, options.fromMs, options.toMs, options.order);
      yield* walkChildren(children, read, options, complete);
    }
  }
}

/** Whether the slot lies wholly inside [fromMs, toMs) (a pruner deletes whole slots only). */
export function slotWithin(slot: Slot, fromMs: number, toMs: number): boolean {
  return slotStartMs(slot) >= fromMs && slotEndMs(slot) <= toMs;
}
