import { walkSlots, type SlotReader } from './slot-walk';
import { SLOT_LEVELS, timeSlotsOf, type TimeSlots } from './time-slots';

interface Row extends TimeSlots {
  _id: string;
  at: number;
  kind: string;
}

const T0 = Date.parse('2026-11-20T10:00:00.000Z');

function row(id: string, at: number, kind = 'a'): Row {
  return { _id: id, at, kind, ...timeSlotsOf(new Date(at)) };
}

/** A reader over an array that counts what each query returns, as the database would. */
function readerOver(rows: Row[]) {
  const stats = { queries: 0, returned: 0 };
  const read: SlotReader<Row> = (query, limit) => {
    stats.queries++;
    const matching = rows.filter((r) =>
      Object.entries(query).every(([field, value]) => r[field as keyof Row] === value),
    );
    const found = limit === undefined ? matching : matching.slice(0, limit);
    stats.returned += found.length;
    return Promise.resolve(found);
  };
  return { read, stats };
}

async function collect(
  read: SlotReader<Row>,
  options: {
    filter?: Record<string, unknown>;
    fromMs: number;
    toMs: number;
    order: 'newest' | 'oldest';
  },
  take = Infinity,
): Promise<string[]> {
  const ids: string[] = [];
  const walk = walkSlots(read, {
    filter: options.filter ?? {},
    fromMs: options.fromMs,
    toMs: options.toMs,
    order: options.order,
    probe: 21,
    timeOf: (r) => r.at,
    compare: (a, b) =>
      options.order === 'newest' ? b.at - a.at || (a._id < b._id ? 1 : -1) : a.at - b.at,
  });
  for await (const { records } of walk) {
    for (const r of records) {
      ids.push(r._id);
      if (ids.length >= take) return ids;
    }
  }
  return ids;
}

describe('walkSlots', () => {
  it('given a few matching records, when walked, then one query returns them all, in order', async () => {
    const { read, stats } = readerOver([row('a', T0 + 5), row('b', T0 + 1), row('c', T0 + 9)]);

    const ids = await collect(read, {
      fromMs: T0 - 86_400_000,
      toMs: T0 + 86_400_000,
      order: 'newest',
    });

    expect(ids).toEqual(['c', 'a', 'b']);
    expect(stats.queries).toBe(1);
  });

  it('given records dense in time, when the newest page is read, then it reads about a page, not the history', async () => {
    // 20,000 records, 1,000 per second, over 20 seconds.
    const rows = Array.from({ length: 20_000 }, (_, i) => row(`r${i}`, T0 + i));
    const { read, stats } = readerOver(rows);

    const ids = await collect(
      read,
      { fromMs: T0 - 86_400_000, toMs: T0 + 86_400_000, order: 'newest' },
      20,
    );

    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => `r${19_999 - i}`));
    expect(stats.returned).toBeLessThan(1_000);
  });

  it('given records spread over days with gaps, when walked both ways, then every record comes once in order', async () => {
    const times = [
      0,
      1,
      2,
      3_600_000,
      86_400_000 * 2 + 7,
      86_400_000 * 2 + 8,
      86_400_000 * 5,
    ].flatMap((offset) => Array.from({ length: 30 }, (_, i) => T0 + offset + i * 50));
    const rows = times.map((at, i) => row(`r${String(i).padStart(4, '0')}`, at));
    const { read } = readerOver(rows);
    const range = { fromMs: T0 - 86_400_000, toMs: T0 + 86_400_000 * 7 };

    const newest = await collect(read, { ...range, order: 'newest' });
    const oldest = await collect(read, { ...range, order: 'oldest' });

    const byTime = [...rows].sort((a, b) => a.at - b.at || (a._id < b._id ? -1 : 1));
    expect(oldest.map((id) => rows.find((r) => r._id === id)!.at)).toEqual(byTime.map((r) => r.at));
    expect(new Set(newest)).toEqual(new Set(rows.map((r) => r._id)));
    expect(newest).toHaveLength(rows.length);
    expect(newest.map((id) => rows.find((r) => r._id === id)!.at)).toEqual(
      byTime.map((r) => r.at).reverse(),
    );
  });

  it('given a range and a filter, when walked, then only matching records inside the range come', async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) =>
      row(`r${i}`, T0 + i * 10, i % 5 === 0 ? 'x' : 'y'),
    );
    const { read } = readerOver(rows);

    const ids = await collect(read, {
      filter: { kind: 'x' },
      fromMs: T0 + 1_000,
      toMs: T0 + 2_000,
      order: 'oldest',
    });

    const expected = rows.filter((r) => r.kind === 'x' && r.at >= T0 + 1_000 && r.at < T0 + 2_000);
    expect(ids).toEqual(expected.map((r) => r._id));
  });

  it('has slot widths that divide each other, so a slot holds whole smaller slots', () => {
    for (let level = 1; level < SLOT_LEVELS.length; level++) {
      expect(SLOT_LEVELS[level - 1].widthMs % SLOT_LEVELS[level].widthMs).toBe(0);
    }
  });
});
