import { entriesFor, type SlotEntry, type SlotScope } from './slot-directory';
import { walkSlots } from './slot-walk';
import { SLOT_LEVELS, slotFilter, timeSlotsOf, type TimeSlots } from './time-slots';

interface Row extends TimeSlots {
  _id: string;
  at: number;
  kind: string;
}

const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const DAY = 86_400_000;
const ALL: SlotScope = { key: 'a', finest: 4 };

/** The rows and the directory entries a writer would have made for them, counting reads. */
function store(rows: Row[], scope: SlotScope = ALL) {
  const entries = new Map<string, SlotEntry>();
  for (const row of rows) {
    for (const entry of entriesFor([scope], new Date(row.at))) entries.set(entry._id, entry);
  }
  const stats = { slotReads: 0, rowsRead: 0, directoryReads: 0 };
  const children = (parent: string) => {
    stats.directoryReads++;
    return Promise.resolve(
      [...entries.values()].filter((e) => e.parent === parent).sort((a, b) => a.slot - b.slot),
    );
  };
  const readSlot = (entry: SlotEntry) => {
    stats.slotReads++;
    const [[field, slot]] = Object.entries(slotFilter(entry));
    const found = rows.filter((row) => row[field as keyof TimeSlots] === slot);
    stats.rowsRead += found.length;
    return Promise.resolve(found);
  };
  return { children, readSlot, stats };
}

function row(id: string, at: number, kind = 'x'): Row {
  return { _id: id, at, kind, ...timeSlotsOf(new Date(at)) };
}

async function walkIds(
  source: ReturnType<typeof store>,
  range: {
    fromMs: number;
    toMs: number;
    order: 'newest' | 'oldest';
    startHintMs?: number[];
    wanted?: number;
  },
  take = Infinity,
): Promise<string[]> {
  const ids: string[] = [];
  const newestFirst = (a: Row, b: Row) => b.at - a.at || (a._id < b._id ? 1 : -1);
  const walk = walkSlots<Row>({
    children: source.children,
    readSlot: source.readSlot,
    scope: ALL,
    ...range,
    timeOf: (r) => r.at,
    compare: range.order === 'newest' ? newestFirst : (a, b) => newestFirst(b, a),
  });
  for await (const { records } of walk) {
    for (const r of records) {
      ids.push(r._id);
      if (ids.length >= take) return ids;
    }
  }
  return ids;
}

/**
 * Walks the newest 20 records of `scope` where every read waits for the next round, and a round
 * answers all the reads asked for so far: the round trips a walk takes.
 */
async function walkInRounds(
  source: ReturnType<typeof store>,
  scope: SlotScope,
  startHintMs: number[],
  wanted?: number,
): Promise<{ ids: string[]; rounds: number }> {
  const waiting: (() => void)[] = [];
  const later =
    <A, R>(read: (arg: A) => Promise<R>) =>
    (arg: A) =>
      new Promise<R>((answer) => waiting.push(() => void read(arg).then(answer)));
  let done = false;
  const ids: string[] = [];
  const walking = (async () => {
    const walk = walkSlots<Row>({
      children: later(source.children),
      readSlot: later(source.readSlot),
      scope,
      fromMs: T0 - DAY,
      toMs: T0 + DAY,
      order: 'newest',
      startHintMs,
      wanted,
      timeOf: (r) => r.at,
      compare: (a, b) => b.at - a.at || (a._id < b._id ? 1 : -1),
    });
    for await (const { records } of walk) {
      ids.push(...records.map((r) => r._id));
      if (ids.length >= 20) break;
    }
    done = true;
  })();
  let rounds = 0;
  while (!done) {
    await new Promise((settled) => setImmediate(settled));
    if (waiting.length > 0) {
      rounds++;
      for (const answer of waiting.splice(0)) answer();
    }
  }
  await walking;
  return { ids: ids.slice(0, 20), rounds };
}

describe('walkSlots', () => {
  it('given records dense in time, when the newest page is read, then it reads about a page, not the history', async () => {
    // 20,000 records, 1,000 per second, over 20 seconds.
    const rows = Array.from({ length: 20_000 }, (_, i) => row(`r${i}`, T0 + i));
    const source = store(rows);

    const range = { fromMs: T0 - DAY, toMs: T0 + DAY, order: 'newest' as const };
    const ids = await walkIds(source, { ...range, startHintMs: [T0 + 20_000] }, 20);

    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => `r${19_999 - i}`));
    expect(source.stats.rowsRead).toBeLessThanOrEqual(300);
    // Root, day, hour, minute and the hint's second, asked for at once; then the second before,
    // and the two before that read ahead.
    expect(source.stats.directoryReads).toBeLessThanOrEqual(8);
  });

  it('given a page whose range ends just inside a dense slot, when it is read, then the walk reads the one slot more the page needs, not eight', async () => {
    // 1,000 records per second: a tenth of a second holds 100; the range ends 5 ms into one.
    const rows = Array.from({ length: 20_000 }, (_, i) => row(`r${i}`, T0 + i));
    const source = store(rows);

    const range = { fromMs: T0 + 10_005 - 60_000, toMs: T0 + 10_005, order: 'newest' as const };
    const ids = await walkIds(source, { ...range, wanted: 20 }, 20);

    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => `r${10_004 - i}`));
    expect(source.stats.slotReads).toBe(2);
  });

  it('given a sparse scope (a quiet webhook: a record every 10 s), when its newest page is read, then the slots are read in a few round trips, not one per minute', async () => {
    const WEBHOOK: SlotScope = { key: 'w:quiet', finest: 3 };
    const rows = Array.from({ length: 180 }, (_, i) => row(`q${i}`, T0 + i * 10_000));

    const { ids, rounds } = await walkInRounds(store(rows, WEBHOOK), WEBHOOK, [T0 + 1_800_000]);

    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => `q${179 - i}`));
    // Down the directory along the hint at once, then the newest minutes' seconds, then their
    // slots 8 at a time across minutes: 20 records in 4 minutes.
    expect(rounds).toBeLessThanOrEqual(6);
  });

  it('given a webhook with a record a second, when a page of 20 is read, then its slots come in two rounds: one, then the 19 it still needs', async () => {
    const WEBHOOK: SlotScope = { key: 'w:steady', finest: 3 };
    // Within one minute: its seconds are one directory read away.
    const rows = Array.from({ length: 50 }, (_, i) => row(`s${i}`, T0 + i * 1_000));
    const hint = [T0 + 49_000];

    const alone = await walkInRounds(store(rows, WEBHOOK), WEBHOOK, hint);
    const asAPage = await walkInRounds(store(rows, WEBHOOK), WEBHOOK, hint, 20);

    expect(asAPage.ids).toEqual(Array.from({ length: 20 }, (_, i) => `s${49 - i}`));
    expect(asAPage.ids).toEqual(alone.ids);
    // The directory, the newest second, then the 19 seconds left at once (8 at a time without
    // knowing the page: three more rounds).
    expect(alone.rounds).toBe(5);
    expect(asAPage.rounds).toBe(3);
  });

  it('given a page whose filter matches nothing in 100 listed seconds, when it is read, then the slots come 32 at a time, not 8', async () => {
    const WEBHOOK: SlotScope = { key: 'w:moved', finest: 3 };
    // Listed when their summaries were written; none matches the page's filter any more.
    const listed = store(
      Array.from({ length: 100 }, (_, i) => row(`m${i}`, T0 + i * 1_000)),
      WEBHOOK,
    );
    const nothing = { ...listed, readSlot: () => Promise.resolve([] as Row[]) };
    const hint = [T0 + 99_000];

    const alone = await walkInRounds(nothing, WEBHOOK, hint);
    const asAPage = await walkInRounds(nothing, WEBHOOK, hint, 20);

    expect(asAPage.ids).toEqual([]);
    expect(alone.rounds).toBeGreaterThanOrEqual(13);
    expect(asAPage.rounds).toBeLessThanOrEqual(7);
  });

  it('given records that ended a while before now, when the walk is also hinted where they end, then the first page takes two round trips: the directory, then the slot', async () => {
    const rows = Array.from({ length: 2_000 }, (_, i) => row(`r${i}`, T0 + i));
    const now = T0 + 95_000;

    const alongNow = await walkInRounds(store(rows), ALL, [now]);
    const alsoWhereTheyEnd = await walkInRounds(store(rows), ALL, [now, T0 + 1_999]);

    expect(alsoWhereTheyEnd.ids).toEqual(alongNow.ids);
    expect(alongNow.rounds).toBe(4);
    expect(alsoWhereTheyEnd.rounds).toBe(2);
  });

  it('given records spread over days with gaps, when walked both ways, then every record comes once in order', async () => {
    const offsets = [0, 1, 2, 3_600_000, DAY * 2 + 7, DAY * 2 + 8, DAY * 5];
    const times = offsets.flatMap((offset) =>
      Array.from({ length: 30 }, (_, i) => T0 + offset + i * 50),
    );
    const rows = times.map((at, i) => row(`r${String(i).padStart(4, '0')}`, at));
    const source = store(rows);
    const range = { fromMs: T0 - DAY, toMs: T0 + DAY * 7 };

    const newest = await walkIds(source, { ...range, order: 'newest' });
    const oldest = await walkIds(source, { ...range, order: 'oldest' });

    const byTime = [...rows].sort((a, b) => a.at - b.at || (a._id < b._id ? -1 : 1));
    expect(oldest).toEqual(byTime.map((r) => r._id));
    expect(newest).toEqual(byTime.map((r) => r._id).reverse());
  });

  it('given a range, when walked, then only the records inside it come, and slots outside are not read', async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => row(`r${i}`, T0 + i * 10));
    const source = store(rows);

    const ids = await walkIds(source, { fromMs: T0 + 1_050, toMs: T0 + 2_000, order: 'oldest' });

    expect(ids).toEqual(
      rows.filter((r) => r.at >= T0 + 1_050 && r.at < T0 + 2_000).map((r) => r._id),
    );
    expect(source.stats.slotReads).toBe(10);
  });

  it('has slot widths that divide each other, so a slot holds whole smaller slots', () => {
    for (let level = 1; level < SLOT_LEVELS.length; level++) {
      expect(SLOT_LEVELS[level - 1].widthMs % SLOT_LEVELS[level].widthMs).toBe(0);
    }
  });
});
