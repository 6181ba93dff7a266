import type { Collection, Connection } from 'mongoose';
import { isDuplicateKeyError } from '@app/platform';

/**
 * One claim on a lease: "`owner` holds lease `name` in epoch `epoch` until `expiresAt`". Records
 * are only ever inserted (and deleted once superseded), never updated: on FerretDB an update is a
 * read-modify-write, but an insert under the unique `_id` is atomic, so exactly one process can
 * claim each epoch.
 */
export interface LeaseRecord {
  /** `<name>#<epoch>`: the unique key that makes a claim atomic. */
  _id: string;
  name: string;
  epoch: number;
  owner: string;
  /** The end of the claim by the claimant's clock, unless it claims the next epoch first. */
  expiresAt: Date;
  /** A release: an already expired claim, so that the next claimant takes over at once. */
  released?: true;
  createdAt: Date;
}

/** Where lease records live. Implemented on the database; tests may use a fake. */
export interface LeaseStore {
  /** The record of `name` with the highest epoch, or null when there is none. */
  latest(name: string): Promise<LeaseRecord | null>;
  /** Inserts `record`; false, writing nothing, when its epoch is already claimed. */
  insert(record: LeaseRecord): Promise<boolean>;
  /** Deletes one record (its own claim that turned out not to count). */
  delete(id: string): Promise<void>;
  /** Deletes the records of `name` below `epoch`: superseded claims. */
  pruneBelow(name: string, epoch: number): Promise<void>;
}

export function leaseRecordId(name: string, epoch: number): string {
  return `${name}#${epoch}`;
}

/** Lease records in a collection (default `leases`), looked up by an index on (name, epoch). */
export class MongoLeaseStore implements LeaseStore {
  private readonly records: Collection<LeaseRecord>;
  private indexed?: Promise<unknown>;

  constructor(connection: Connection, collectionName = 'leases') {
    this.records = connection.collection<LeaseRecord>(collectionName);
  }

  async latest(name: string): Promise<LeaseRecord | null> {
    await this.ensureIndex();
    // Superseded records are pruned, so the equality on `name` leaves a handful of rows to sort
    // (FerretDB sorts in its own process after pushing the equality down).
    return this.records.findOne({ name }, { sort: { epoch: -1 } });
  }

  async insert(record: LeaseRecord): Promise<boolean> {
    await this.ensureIndex();
    try {
      await this.records.insertOne(record);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    await this.records.deleteOne({ _id: id });
  }

  async pruneBelow(name: string, epoch: number): Promise<void> {
    await this.records.deleteMany({ name, epoch: { $lt: epoch } });
  }

  /** Once per store; a failure is retried by the next call. */
  private ensureIndex(): Promise<unknown> {
    this.indexed ??= this.records
      .createIndex({ name: 1, epoch: -1 }, { name: 'by_name_epoch' })
      .catch((error: unknown) => {
        this.indexed = undefined;
        throw error;
      });
    return this.indexed;
  }
}
