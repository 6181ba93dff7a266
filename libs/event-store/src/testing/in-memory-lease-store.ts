import type { LeaseRecord, LeaseStore } from '../leases/lease-store';

/**
 * LeaseStore in a Map, with the same contract as the database one (an insert of a taken `_id`
 * writes nothing and answers false). `beforeInsert` lets a test stall a claimant between its read
 * and its insert.
 */
export class InMemoryLeaseStore implements LeaseStore {
  readonly records = new Map<string, LeaseRecord>();
  beforeInsert?: (record: LeaseRecord) => Promise<void>;

  latest(name: string): Promise<LeaseRecord | null> {
    const ofName = [...this.records.values()].filter((record) => record.name === name);
    ofName.sort((a, b) => b.epoch - a.epoch);
    return Promise.resolve(ofName[0] ? { ...ofName[0] } : null);
  }

  async insert(record: LeaseRecord): Promise<boolean> {
    await this.beforeInsert?.(record);
    if (this.records.has(record._id)) return false;
    this.records.set(record._id, { ...record });
    return true;
  }

  delete(id: string): Promise<void> {
    this.records.delete(id);
    return Promise.resolve();
  }

  pruneBelow(name: string, epoch: number): Promise<void> {
    for (const [id, record] of this.records) {
      if (record.name === name && record.epoch < epoch) this.records.delete(id);
    }
    return Promise.resolve();
  }

  epochsOf(name: string): number[] {
    return [...this.records.values()]
      .filter((record) => record.name === name)
      .map((record) => record.epoch)
      .sort((a, b) => a - b);
  }
}
