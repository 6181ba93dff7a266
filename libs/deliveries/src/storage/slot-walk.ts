import { entriesFor, rootOf, type SlotEntry, type SlotScope } from './slot-directory';
import { slotEndMs, slotStartMs } from './time-slots';

/** The most slots read at once when the consumer has not said how many records it wants. */
const MAX_WINDOW = 8;
/**
 * The most read at once for a page (`wanted`): a sparse scope (a webhook's seconds, a record or
 * two each) then reads what the page still needs in one round trip rather than 8 at a time.
 */
const MAX_PAGE_WINDOW = 32;

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
  /**
   * Where records most likely start, in walk order (e.g. now, for a newest-first list whose range
   * ends in the future, and where the last walk of the scope found its newest records): the
   * directory along each is read at once. Only read ahead: a wrong hint costs its reads, never a
   * record. Default: the range's start.
   */
  startHintMs?: readonly number[];
  /**
   * How many records the consumer means to take (a page), when it knows: once the slots read show
   * how many records a slot holds, only as many slots are read ahead as should fill it.
   */
  wanted?: number;
  /** A record's time: the one its slot fields were computed from. */
  timeOf: (record: T) => number;
  /** Orders the records of one slot as the walk goes (ties in time included). */
  compare: (a: T, b: T) => number;
}

/**
 * The records of one finest slot, those inside the range, in order. Every slot read is yielded,
 * also one that held none (the directory lists a slot whose records moved to another status or
 * class, and the list's other filters leave none of some): a consumer counts the slots it has
 * read and knows where it stopped, so it can bound its reads and resume there.
 */
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
  const withPath = { ...options, children: prefetchedPath(options) };
  const finest = finestEntries(rootOf(options.scope.key), withPath);
  try {
    // One slot first (often a page: a busy scope's tenth), then 8 at a time, across the parents
    // of the slots: a sparse scope (a quiet webhook, a record every few seconds) spreads a page
    // over many seconds of several minutes, and reading them parent by parent cost a round trip
    // per few slots. Each read starts as soon as its entry is known. With `wanted`, the window is what
    // should fill the page: a dense scope (a busy scope's tenth holds a page) reads one slot at a
    // time, as eight ahead would be eight pages decoded for one; a sparse one all it still needs.
    let size = 1;
    let slotsRead = 0;
    let recordsHeld = 0;
    let recordsYielded = 0;
    for (;;) {
      const window: { entry: SlotEntry; read: Promise<T[]> }[] = [];
      while (window.length < size) {
        const next = await finest.next();
        if (next.done) break;
        const read = options.readSlot(next.value);
        // Reads ahead of a consumer that stops early are left unread: never an unhandled rejection.
        read.catch(() => undefined);
        window.push({ entry: next.value, read });
      }
      for (const { entry, read } of window) {
        const held = await read;
        const records = held
          .filter((record) => {
            const at = options.timeOf(record);
            return at >= options.fromMs && at < options.toMs;
          })
          .sort(options.compare);
        slotsRead++;
        recordsHeld += held.length;
        recordsYielded += records.length;
        yield { entry, records };
      }
      if (window.length < size) return;
      size = nextWindow(options.wanted, recordsYielded, recordsHeld / slotsRead);
    }
  } finally {
    await finest.return(undefined);
  }
}

/**
 * Slots read at once after the first: 8, or with `wanted`, about what should fill the page (at
 * most 32), by what the slots read so far held (in the range or not: only a range's first and last slots are
 * partly outside it).
 */
function nextWindow(wanted: number | undefined, recordsYielded: number, perSlot: number): number {
  if (wanted === undefined) return MAX_WINDOW;
  // Nothing matched yet: no sign of a dense scope, and the page still wants all it asked for.
  if (perSlot === 0) return MAX_PAGE_WINDOW;
  const stillWanted = Math.max(1, wanted - recordsYielded);
  return Math.min(MAX_PAGE_WINDOW, Math.max(1, Math.ceil(stillWanted / perSlot)));
}

/**
 * The directory reads, with those along the path to where the walk starts (the newest or oldest
 * instant of the range) asked for at once: where records are, that is where they are (a list's
 * first page is the last moments), so a walk often needs one round trip down, not one per level.
 */
function prefetchedPath<T>(options: SlotWalkOptions<T>): (parent: string) => Promise<SlotEntry[]> {
  const asked = new Map<string, Promise<SlotEntry[]>>();
  const children = (parent: string) => {
    let found = asked.get(parent);
    if (!found) {
      found = options.children(parent);
      asked.set(parent, found);
    }
    return found;
  };
  const starts = options.startHintMs ?? [
    options.order === 'newest' ? options.toMs - 1 : options.fromMs,
  ];
  for (const start of starts) {
    if (!Number.isFinite(start) || start < options.fromMs || start >= options.toMs) continue;
    for (const { parent } of entriesFor([options.scope], new Date(start))) {
      // Read ahead; an error surfaces when the walk asks for it.
      children(parent).catch(() => undefined);
    }
  }
  return children;
}

/** The finest entries under `parent` inside the range, in walk order, depth first. */
async function* finestEntries<T>(
  parent: string,
  options: SlotWalkOptions<T>,
): AsyncGenerator<SlotEntry> {
  const entries = (await options.children(parent)).filter(
    (entry) => slotStartMs(entry) < options.toMs && slotEndMs(entry) > options.fromMs,
  );
  if (options.order === 'newest') entries.reverse();
  // The children of one entry are all of the next level.
  if (entries.length === 0 || entries[0].level >= options.scope.finest) {
    yield* entries;
    return;
  }
  // Just above the finest level, the next two entries' children are read ahead: a sparse scope
  // spreads a page over many of them.
  const aheadOfFinest = entries[0].level === options.scope.finest - 1;
  for (const [index, entry] of entries.entries()) {
    for (const next of aheadOfFinest ? entries.slice(index + 1, index + 3) : []) {
      options.children(next._id).catch(() => undefined);
    }
    yield* finestEntries(entry._id, options);
  }
}
