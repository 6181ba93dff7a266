import type { Collection, Document, Filter } from 'mongodb';
import { childrenOf, rootOf, type SlotEntry, type SlotScope } from '../storage/slot-directory';
import { slotEndMs, slotFilter, slotStartMs } from '../storage/time-slots';

/** A record pruning deletes: its id is a string (delivery, attempt and event ids). */
export interface PrunableRecord {
  _id: string;
}

/** One collection to prune, and which of its records (e.g. only finished deliveries). */
export interface PruneTarget {
  collection: Collection<PrunableRecord>;
  filter: Document;
}

export interface PrunePlan {
  /** The directory scope whose slots the targets' records are in. */
  scope: SlotScope;
  targets: readonly PruneTarget[];
  /**
   * The collection whose records keep a slot listed when some are left (deliveries not finished
   * yet); without it, an emptied slot's entry always goes.
   */
  keeper?: Collection<PrunableRecord>;
  /**
   * Whose entries an emptied slot loses: every scope's (the deliveries' slots: nothing is left
   * there in any scope), or its own scope's only (the events' slots).
   */
  entries: 'every-scope' | 'own-scope';
  /** Records in slots that end at or before this time are pruned. */
  beforeMs: number;
}

export interface PruneControl {
  /** Asked before each step: false ends the pruning there (the lease was lost, a stop). */
  mayGoOn: () => boolean;
  /**
   * Awaited after each step, told how long the step took, so pruning leaves room to the
   * deliveries going on.
   */
  pause: (stepMs: number) => Promise<void>;
  /** Told what each delete removed, as it happens (a pass over a large backlog takes long). */
  deleted?: (count: number) => void;
}

/**
 * Deletes expired records in bounded steps: down the directory of the scope's slots, oldest first
 * (slot-directory.ts), one finest slot (a tenth of a second of records) per step, each target with
 * one equality-only `deleteMany` that MongoDB and FerretDB both answer from an index; then the
 * directory entries of what it emptied. A slot that straddles the cutoff waits for the next pass.
 * It can stop after any step and resume with the next pass. Returns how many records it deleted.
 */
export async function pruneSlots(
  entries: Collection<SlotEntry>,
  plan: PrunePlan,
  control: PruneControl,
): Promise<number> {
  let deleted = 0;

  const dropEntry = async (entry: SlotEntry) => {
    if (plan.entries === 'every-scope') await entries.deleteMany({ at: entry.at });
    else await entries.deleteOne({ _id: entry._id });
    // Entries below the finest level, from a layout whose finest level was finer (the events'
    // tenths): their records went with this slot's, so they go too.
    if (entry.level === plan.scope.finest) await entries.deleteMany({ parent: entry._id });
  };

  /** Prunes under `parent`; true when nothing is left under it. */
  const visit = async (parent: string): Promise<boolean> => {
    const children = await childrenOf(entries, parent);
    let emptied = 0;
    for (const entry of children) {
      if (!control.mayGoOn()) return false;
      // In slot order: the rest start later still.
      if (slotStartMs(entry) >= plan.beforeMs) break;
      let empty: boolean;
      if (entry.level === plan.scope.finest) {
        if (slotEndMs(entry) > plan.beforeMs) break;
        const stepStarted = performance.now();
        for (const { collection, filter } of plan.targets) {
          const only = { ...filter, ...slotFilter(entry) } as Filter<PrunableRecord>;
          const { deletedCount } = await collection.deleteMany(only);
          deleted += deletedCount;
          control.deleted?.(deletedCount);
        }
        const left = plan.keeper && (await plan.keeper.findOne(slotFilter(entry)));
        empty = !left;
        await control.pause(performance.now() - stepStarted);
      } else {
        empty = await visit(entry._id);
      }
      if (empty) {
        await dropEntry(entry);
        emptied++;
      }
    }
    return emptied === children.length;
  };

  await visit(rootOf(plan.scope.key));
  return deleted;
}
