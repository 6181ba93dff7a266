import type { Collection } from 'mongodb';
import { LRUCache } from 'lru-cache';
import { BatchInserter } from './batch-inserter';
import { SLOT_LEVELS, slotNumber } from './time-slots';

export const DELIVERY_SLOTS_COLLECTION = 'delivery_slots';

/**
 * A directory of the time slots that hold records, per scope: "scope `w:<webhook>` has deliveries
 * in second 1764633600 of minute 29410560", and so on up to the day. A list reads it top down (the
 * days of a scope, the hours of a day, ...) and then only the finest slots that hold records, so
 * each query selects a small set by equality alone: the embedded FerretDB evaluates everything
 * else (and even a limit, once there is a filter) over every row its equalities select.
 *
 * Entries are only ever inserted, once per slot (a duplicate loses, harmlessly), by whoever writes
 * a record there first, before the record; so a slot that holds records is always listed (an entry
 * may list a slot whose records have since moved to another scope, e.g. a status: a list then
 * finds none there). Retention deletes the entries of the slots it empties.
 */
export interface SlotEntry {
  /** `<scope>|<level>|<slot>`. */
  _id: string;
  /** The entry one level up (`<scope>|<level-1>|<slot>`), or `<scope>|root` for a day. */
  parent: string;
  level: number;
  slot: number;
  /** `<level>|<slot>` whatever the scope: what retention deletes a slot's entries by. */
  at: string;
}

/** A scope of the directory: what a list can be narrowed to, and the finest level it keeps. */
export interface SlotScope {
  /**
   * `a` (everything), `s:<status>`, `t:<event type>`, `w:<webhook id>`, `env:<environment>`,
   * `c:<class>`, a webhook's `w:<id>/s:failed` and `w:<id>/c:<class>`, `e` (events).
   */
  key: string;
  /** The deepest level listed for it (an index of SLOT_LEVELS). */
  finest: number;
}

export const FINEST_LEVEL = SLOT_LEVELS.length - 1;

export function rootOf(scope: string): string {
  return `${scope}|root`;
}

export function entryId(scope: string, level: number, slot: number): string {
  return `${scope}|${level}|${slot}`;
}

/** The entries that list time `at` in each scope, from the day down to the scope's finest level. */
export function entriesFor(scopes: readonly SlotScope[], at: Date): SlotEntry[] {
  const entries: SlotEntry[] = [];
  for (const scope of scopes) {
    let parent = rootOf(scope.key);
    for (let level = 0; level <= scope.finest; level++) {
      const slot = slotNumber(level, at);
      const id = entryId(scope.key, level, slot);
      entries.push({ _id: id, parent, level, slot, at: `${level}|${slot}` });
      parent = id;
    }
  }
  return entries;
}

/**
 * Writes directory entries, each at most once per process (a cache of those written), batched.
 * `register` resolves once every entry given is durable, so the record may be written next.
 */
export class SlotDirectoryWriter {
  private readonly written = new LRUCache<string, true>({ max: 200_000 });
  /** Entries being written: a second writer of one waits for the first (one insert each). */
  private readonly writing = new Map<string, Promise<unknown>>();
  private readonly inserts: BatchInserter<SlotEntry>;

  constructor(entries: Collection<SlotEntry>) {
    this.inserts = new BatchInserter(entries, {
      maxBatch: 500,
      lingerMs: 5,
      maxConcurrentFlushes: 2,
    });
  }

  async register(entries: readonly SlotEntry[]): Promise<void> {
    const waits: Promise<unknown>[] = [];
    for (const entry of entries) {
      if (this.written.has(entry._id)) continue;
      let write = this.writing.get(entry._id);
      if (!write) {
        write = this.inserts.insert(entry).then(
          () => this.written.set(entry._id, true),
          (error: unknown) => {
            this.writing.delete(entry._id);
            throw error;
          },
        );
        write.then(() => this.writing.delete(entry._id)).catch(() => undefined);
        this.writing.set(entry._id, write);
      }
      waits.push(write);
    }
    await Promise.all(waits);
  }

  flush(): Promise<void> {
    return this.inserts.flush();
  }

  stop(): void {
    this.inserts.stop();
  }
}

/** The entries under `parent`, in slot order. */
export async function childrenOf(
  entries: Collection<SlotEntry>,
  parent: string,
): Promise<SlotEntry[]> {
  const children = await entries.find({ parent }).toArray();
  return children.sort((a, b) => a.slot - b.slot);
}
