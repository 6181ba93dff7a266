import { rootOf, type SlotEntry, type SlotScope } from './slot-directory';
import { slotEndMs, slotStartMs } from './time-slots';

export interface SlotWalkOptions<T> {
  /** The directory's entries under one entry (slot-directory.ts), in slot order. */
  children: (parent: string) => Promise<SlotEntry[]>;
  scope: SlotScope;
  /** Reads the records of one slot at the scope's finest level (the list's other filters applied). */
  readSlot: (entry: SlotEntry) => Promise<T[]>;
  /** The time range to walk: [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  order: 'newest' | 'oldest';
  /** A record's time: the one its slot fields were computed from. */
  timeOf: (record: T) => number;
  /** Orders the records of one slot as the walk goes (ties in time included). */
  compare: (a: T, b: T) => number;
  /** Finest slots read at once ahead of the consumer (the walk still yields in order). */
  concurrency?: number;
}

/** The records of one finest slot, those inside the range, in order. */
export interface SlotRecords<T> {
  entry: SlotEntry;
  records: T[];
}

/**
 * Walks a scope's records of [fromMs, toMs) slot by slot, newest (or oldest) first: down the
 * directory (the scope's days, then the hours of each, ...) to the finest slots that hold records,
 * each read with one equality query. No query has a range, a sort, a count or a limit, which the
 * embedded FerretDB would evaluate over every row its equalities leave: a walk costs the slots it
 * reads and the few directory entries above them, never the history kept. A consumer stops the
 * walk by leaving its loop.
 */
export async function* walkSlots<T>(options: SlotWalkOptions<T>): AsyncGenerator<SlotRecords<T>> {
  if (options.fromMs >= options.toMs) return;
  yield* visit(rootOf(options.scope.key), options);
}

async function* visit<T>(
  parent: string,
  options: SlotWalkOptions<T>,
): AsyncGenerator<SlotRecords<T>> {
  const entries = (await options.children(parent)).filter(
    (entry) => slotStartMs(entry) < options.toMs && slotEndMs(entry) > options.fromMs,
  );
  if (options.order === 'newest') entries.reverse();
  const finest = entries.filter((entry) => entry.level === options.scope.finest);
  if (finest.length < entries.length) {
    // Above the finest level: one entry at a time, depth first.
    for (const entry of entries) yield* visit(entry._id, options);
    return;
  }
  const concurrency = Math.max(1, options.concurrency ?? 3);
  for (let start = 0; start < finest.length; start += concurrency) {
    const window = finest.slice(start, start + concurrency);
    const reads = window.map((entry) => {
      const read = options.readSlot(entry);
      // Reads ahead of a consumer that stops early are left unread: never an unhandled rejection.
      read.catch(() => undefined);
      return read;
    });
    for (const [index, entry] of window.entries()) {
      const records = (await reads[index])
        .filter((record) => {
          const at = options.timeOf(record);
          return at >= options.fromMs && at < options.toMs;
        })
        .sort(options.compare);
      if (records.length > 0) yield { entry, records };
    }
  }
}
