import { Logger } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { SecretBox } from '../../crypto/secret-box';
import type { IdempotencyRecordDocument, StoredResponse } from './idempotency-record';

/**
 * The right to run a request under a key: the in-progress record this process inserted. While the
 * request runs its lease is renewed, so a slow request is not taken over; then it is completed
 * (the outcome stored for replay) or released (deleted, so a retry runs again). Every write goes
 * through one queue: on FerretDB a renewal still in flight could otherwise write back the
 * in-progress state over the completion.
 */
export class IdempotencyClaim {
  private readonly logger = new Logger('Idempotency');
  private writes: Promise<void> = Promise.resolve();
  private renewal?: NodeJS.Timeout;
  private settled = false;

  constructor(
    /** The record's `_id`. */
    readonly recordId: string,
    /** The stable hash of the key's scope, the same for every run of it. */
    readonly scope: string,
    private readonly records: Collection<IdempotencyRecordDocument>,
    private readonly box: SecretBox,
    private readonly lease: { ms: number; now: () => Date },
    private readonly onSettled: (claim: IdempotencyClaim) => void,
  ) {}

  /** Renews the lease every third of it until the claim is settled or renewal is stopped. */
  startRenewal(): void {
    if (this.settled || this.renewal) return;
    this.renewal = setInterval(
      () => {
        void this.enqueue(async () => {
          if (this.settled) return;
          const leaseUntil = new Date(this.lease.now().getTime() + this.lease.ms);
          await this.records.updateOne({ _id: this.recordId }, { $set: { leaseUntil } });
        }).catch((error: unknown) =>
          this.logger.warn(`renewing the lease of ${this.recordId} failed: ${describe(error)}`),
        );
      },
      Math.max(1, Math.floor(this.lease.ms / 3)),
    );
    // A lease must never keep a stopping process alive.
    this.renewal.unref();
  }

  /** Stops renewing; the lease then lapses on its own unless the claim is settled first. */
  stopRenewal(): void {
    if (this.renewal) clearInterval(this.renewal);
    this.renewal = undefined;
  }

  /** Stores the outcome: a repeat of the request now gets it. */
  complete(response: StoredResponse): Promise<void> {
    return this.settle(async () => {
      const sealed = this.box.encrypt(
        JSON.stringify({
          status: response.status,
          headers: response.headers,
          body: response.body.toString('base64'),
        }),
        this.recordId,
      );
      await this.records.updateOne(
        { _id: this.recordId },
        {
          $set: {
            state: 'completed',
            status: response.status,
            response: sealed,
            completedAt: this.lease.now(),
          },
        },
      );
    });
  }

  /** Forgets this run (a 5xx, or an outcome that cannot be stored): a retry runs the request again. */
  release(): Promise<void> {
    return this.settle(async () => {
      await this.records.deleteOne({ _id: this.recordId });
    });
  }

  private settle(write: () => Promise<void>): Promise<void> {
    if (this.settled) return Promise.resolve();
    this.settled = true;
    this.stopRenewal();
    return this.enqueue(write).finally(() => this.onSettled(this));
  }

  private enqueue(write: () => Promise<void>): Promise<void> {
    const next = this.writes.then(write);
    this.writes = next.catch(() => undefined);
    return next;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
