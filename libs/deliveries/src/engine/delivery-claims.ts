import type { Collection } from 'mongodb';
import { BatchInserter } from '../storage/batch-inserter';
import {
  attemptIdOf,
  type DeliveryClaimDocument,
  type DeliveryQueueDocument,
} from '../storage/delivery.documents';
import { retryTransient } from '../storage/transient-retry';

/** What a worker holds while it makes one attempt: the claim it inserted. */
export interface ClaimHandle {
  /** `<delivery id>:<attempt>`. */
  key: string;
  /** The claim document's id (`<key>#<epoch>`). */
  id: string;
  leaseUntil: Date;
}

export interface ClaimOutcome {
  entry: DeliveryQueueDocument;
  claim: ClaimHandle;
}

/**
 * Claims of attempts, so that one attempt of a delivery is made by one worker at a time, on
 * MongoDB and FerretDB alike: a claim is won by inserting `<key>#<epoch>` under the unique `_id`
 * (never by a conditional update, which FerretDB does not do atomically). A worker that dies
 * leaves its claim behind; once its lease has passed, the next claimant inserts the next epoch,
 * and again only one of several can win it. A worker that stops hands its claims back (deletes
 * them), so the next one resumes at once instead of waiting out the lease.
 */
export class DeliveryClaims {
  private readonly inserts: BatchInserter<DeliveryClaimDocument>;

  constructor(
    private readonly claims: Collection<DeliveryClaimDocument>,
    private readonly owner: string,
    private readonly signal: AbortSignal,
  ) {
    this.inserts = new BatchInserter(claims, {
      maxBatch: 200,
      lingerMs: 2,
      maxConcurrentFlushes: 2,
    });
  }

  /**
   * Tries to claim each entry's attempt until `leaseUntil`; returns the ones won. Entries for the
   * same attempt (a scheduled one and a manual "now") are claimed once.
   */
  async claim(
    entries: DeliveryQueueDocument[],
    now: Date,
    leaseUntil: Date,
  ): Promise<ClaimOutcome[]> {
    const byKey = new Map<string, DeliveryQueueDocument>();
    for (const entry of entries) {
      const key = attemptIdOf(entry.deliveryId, entry.attempt);
      if (!byKey.has(key)) byKey.set(key, entry);
    }
    const won = await Promise.all(
      [...byKey].map(async ([key, entry]) => {
        const claim = await this.claimKey(key, now, leaseUntil);
        return claim ? { entry, claim } : null;
      }),
    );
    return won.filter((outcome): outcome is ClaimOutcome => outcome !== null);
  }

  /** Hands a claim back (the attempt was not made): another worker may claim it at once. */
  async release(claim: ClaimHandle): Promise<void> {
    await retryTransient(() => this.claims.deleteOne({ _id: claim.id, owner: this.owner }), {
      what: `release of claim ${claim.id}`,
      signal: this.signal,
    });
  }

  /** Removes every claim of an attempt that has been recorded (its queue entries are gone too). */
  async clear(key: string): Promise<void> {
    await retryTransient(() => this.claims.deleteMany({ key }), {
      what: `clearing the claims of ${key}`,
      signal: this.signal,
    });
  }

  /** Stops the claim inserts (shutdown). */
  stop(): void {
    this.inserts.stop();
  }

  private async claimKey(key: string, now: Date, leaseUntil: Date): Promise<ClaimHandle | null> {
    // Almost always the first claim of the attempt: one insert, batched with the others.
    const first = this.document(key, 1, now, leaseUntil);
    if ((await this.inserts.insert(first)) === 'inserted') return handle(first);
    // Claimed before: by us (our insert landed but its answer was lost), by a live worker, or by
    // one whose lease has run out.
    const existing = await retryTransient(() => this.claims.find({ key }).toArray(), {
      what: `reading the claims of ${key}`,
      signal: this.signal,
    });
    const latest = existing.sort((a, b) => b.epoch - a.epoch)[0];
    if (!latest) {
      // Cleared in between (the attempt was recorded meanwhile): nothing to claim.
      return null;
    }
    if (latest.owner === this.owner && latest.leaseUntil.getTime() > now.getTime()) {
      return handle(latest);
    }
    if (latest.leaseUntil.getTime() > now.getTime()) return null;
    const next = this.document(key, latest.epoch + 1, now, leaseUntil);
    return (await this.inserts.insert(next)) === 'inserted' ? handle(next) : null;
  }

  private document(key: string, epoch: number, now: Date, leaseUntil: Date): DeliveryClaimDocument {
    return { _id: `${key}#${epoch}`, key, epoch, owner: this.owner, leaseUntil, claimedAt: now };
  }
}

function handle(document: DeliveryClaimDocument): ClaimHandle {
  return { key: document.key, id: document._id, leaseUntil: document.leaseUntil };
}
