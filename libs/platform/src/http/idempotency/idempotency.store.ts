import { Logger } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { SecretBox } from '../../crypto/secret-box';
import { isDuplicateKeyError } from '../../database/mongo-errors';
import { IdempotencyClaim } from './idempotency-claim';
import type { IdempotencyRecordDocument, StoredResponse } from './idempotency-record';

export interface IdempotencyStoreOptions {
  /** How long a key's record lives (IDEMPOTENCY_KEY_TTL_HOURS). */
  ttlMs: number;
  /** How long an in-progress record holds the key without a renewal by its owner. */
  leaseMs: number;
  /** The source of time; tests move it. */
  now?: () => Date;
}

/** What a request with an Idempotency-Key may do. */
export type IdempotencyAdmission =
  /** Run it: this process owns the key's new run. */
  | { outcome: 'run'; claim: IdempotencyClaim }
  /** It ran before: answer with its outcome. */
  | { outcome: 'replay'; response: StoredResponse }
  /** The key was used with another body. */
  | { outcome: 'reused' }
  /** The first request is still running. */
  | { outcome: 'in-progress' };

/** FerretDB answers a TTL index with NotImplemented. */
const NOT_IMPLEMENTED = 238;
/**
 * Inserts lost to a concurrent request before giving up with "in progress". Each loss means another
 * request now owns the run, so the second look almost always settles it.
 */
const ADMISSION_ROUNDS = 3;

/**
 * The Idempotency-Key records (see IdempotencyRecordDocument). Coordinates api processes only by
 * inserts under the unique `_id`: never a conditional update, which FerretDB does not make atomic.
 */
export class IdempotencyStore {
  private readonly logger = new Logger('Idempotency');
  private readonly now: () => Date;
  private readonly active = new Set<IdempotencyClaim>();

  constructor(
    private readonly records: Collection<IdempotencyRecordDocument>,
    private readonly box: SecretBox,
    private readonly options: IdempotencyStoreOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * The latest run of a scope is found by `scope` (an equality, which FerretDB pushes down). The TTL
   * index makes MongoDB drop expired records itself; FerretDB has no TTL indexes (IdempotencyPruner
   * does it there).
   */
  async ensureIndexes(): Promise<void> {
    await this.records.createIndex({ scope: 1, epoch: -1 });
    try {
      await this.records.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    } catch (error) {
      if ((error as { code?: unknown }).code !== NOT_IMPLEMENTED) throw error;
      await this.records.createIndex({ expiresAt: 1 });
    }
  }

  /** Decides what a request under `scope` with a body of `fingerprint` may do. */
  async admit(scope: string, fingerprint: string): Promise<IdempotencyAdmission> {
    for (let round = 0; round < ADMISSION_ROUNDS; round++) {
      const latest = await this.latest(scope);
      const now = this.now();
      let epoch: number;
      if (!latest) {
        epoch = 0;
      } else if (latest.expiresAt <= now) {
        epoch = latest.epoch + 1; // expired, not yet pruned: the key is free again
      } else if (latest.fingerprint !== fingerprint) {
        return { outcome: 'reused' };
      } else if (latest.state === 'completed') {
        return { outcome: 'replay', response: this.open(latest) };
      } else if (latest.leaseUntil > now) {
        return { outcome: 'in-progress' };
      } else {
        epoch = latest.epoch + 1; // the owner stopped renewing its lease: it died, take over
      }
      const claim = await this.tryClaim(scope, epoch, fingerprint, now);
      if (claim) return { outcome: 'run', claim };
      // A concurrent request inserted that run first: look again at what it holds now.
    }
    return { outcome: 'in-progress' };
  }

  /**
   * Deletes up to `limit` expired records; returns how many it found. On FerretDB the range filter
   * is evaluated over the whole collection (only equalities are pushed down), so this runs in the
   * background, in small batches, and each delete is by `_id`.
   */
  async pruneExpired(limit: number): Promise<number> {
    const expired = await this.records
      .find({ expiresAt: { $lte: this.now() } }, { projection: { _id: 1 } })
      .limit(limit)
      .toArray();
    for (const { _id } of expired) await this.records.deleteOne({ _id });
    return expired.length;
  }

  /** Stops renewing the leases of requests still running (the process is stopping). */
  close(): void {
    for (const claim of this.active) claim.stopRenewal();
    this.active.clear();
  }

  private async latest(scope: string): Promise<IdempotencyRecordDocument | null> {
    const [latest] = await this.records.find({ scope }).sort({ epoch: -1 }).limit(1).toArray();
    return latest ?? null;
  }

  private async tryClaim(
    scope: string,
    epoch: number,
    fingerprint: string,
    now: Date,
  ): Promise<IdempotencyClaim | undefined> {
    const recordId = `${scope}.${epoch}`;
    try {
      await this.records.insertOne({
        _id: recordId,
        scope,
        epoch,
        state: 'in-progress',
        fingerprint,
        createdAt: now,
        leaseUntil: new Date(now.getTime() + this.options.leaseMs),
        expiresAt: new Date(now.getTime() + this.options.ttlMs),
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) return undefined;
      throw error;
    }
    if (epoch > 0) this.logger.debug(`run ${epoch} of idempotency scope ${scope} starts`);
    const claim = new IdempotencyClaim(
      recordId,
      scope,
      this.records,
      this.box,
      { ms: this.options.leaseMs, now: this.now },
      (settled) => this.active.delete(settled),
    );
    this.active.add(claim);
    claim.startRenewal();
    return claim;
  }

  /** @throws SecretDecryptionError when the record was not sealed with this app's key. */
  private open(record: IdempotencyRecordDocument): StoredResponse {
    if (!record.response) throw new Error(`idempotency record ${record._id} has no response`);
    const { status, headers, body } = JSON.parse(this.box.decrypt(record.response, record._id)) as {
      status: number;
      headers: Record<string, string>;
      body: string;
    };
    return { status, headers, body: Buffer.from(body, 'base64') };
  }
}
