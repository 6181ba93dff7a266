import type { BatchInserter, InsertOutcome } from './batch-inserter';
import { ListingInserts } from './listing-inserts';

type Listing = { _id: string };

/** Inserts that land when the test says so, in the order they were sent. */
function controlledInserts() {
  const sent: string[] = [];
  const landing: (() => void)[] = [];
  const inserts = {
    insert: (document: Listing) => {
      sent.push(document._id);
      return new Promise<InsertOutcome>((resolve) => landing.push(() => resolve('duplicate')));
    },
  } as unknown as BatchInserter<Listing>;
  return { inserts, sent, land: () => landing.shift()?.() };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ListingInserts', () => {
  it('given several writers listing one lane at once, when they insert it, then it is sent at most once at a time, the later ones sharing one insert sent after the first', async () => {
    const rig = controlledInserts();
    const listings = new ListingInserts(rig.inserts);

    const first = listings.insert({ _id: 'lane-a' });
    const second = listings.insert({ _id: 'lane-a' });
    const third = listings.insert({ _id: 'lane-a' });
    const other = listings.insert({ _id: 'lane-b' });
    expect(rig.sent).toEqual(['lane-a', 'lane-b']);

    rig.land();
    await first;
    await flush();
    expect(rig.sent).toEqual(['lane-a', 'lane-b', 'lane-a']);
    rig.land();
    rig.land();
    await Promise.all([second, third, other]);
    expect(rig.sent).toHaveLength(3);
  });
});
