import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import { SystemClock, type Clock } from '../clock';
import { leaseRecordId, type LeaseRecord, type LeaseStore } from './lease-store';

/** The latest epoch of a lease nobody has claimed yet: its first claim is epoch 1. */
const NO_CLAIM_EPOCH = 0;

export interface LeaseOptions {
  /** How long a claim lasts unless its holder renews it. */
  ttlMs: number;
  /**
   * How often `keep` renews. Default: a third of the TTL, so that a renewal can fail (a slow or
   * unreachable database) once and the next one still comes in time.
   */
  renewIntervalMs?: number;
  /** Names the claimant in the records. Default: host, process id and a random suffix. */
  owner?: string;
  clock?: Clock;
}

/**
 * A lease: at most one process at a time holds it, and the others take over when the holder stops
 * renewing (it crashed or hung) or releases it (it stopped). For work that must have a single
 * writer: a durable projection, a pruner, a rebuild. Coordination rests only on what MongoDB and
 * FerretDB both do atomically, an insert under a unique index:
 *
 * - A claim is a record `<name>#<epoch>`. **Acquire**: read the latest record; when there is
 *   none or it has expired, insert the next epoch; a duplicate key means another process claimed
 *   it first. **Renew**: insert the next epoch as yourself before your claim expires; a duplicate
 *   key means someone took over, so stop at once. Superseded records are pruned.
 * - After every insert the claimant reads the latest record again: its claim counts only if it is
 *   the latest. A claimant that stalled between reading and inserting may land in an epoch that
 *   pruning had freed, below the current holder's; this check makes it see that it lost.
 * - **Release** inserts the next epoch already expired (and prunes the holder's own records), so
 *   the next acquire succeeds at once. It does not delete the holder's record outright: with no
 *   record left, epochs would start again at 1 and a stalled claimant's late insert could become
 *   the latest; this way epochs only ever grow.
 *
 * Holding is judged by each process's own clock: the holder stops trusting its claim `marginMs`
 * before `expiresAt` (see `isHeld`), the others take over only after it. So clocks must agree to
 * well within the margin (NTP does), and work done under the lease should check `isHeld` often
 * (it costs no round trip) so that it stops within one step of losing it.
 *
 * Typical use, e.g. one pruner among several processes:
 *
 *   const lease = new Lease(new MongoLeaseStore(connection), 'delivery-pruner', { ttlMs: 30_000 });
 *   if (await lease.acquire()) {
 *     lease.keep(() => logger.warn('another process prunes now'));
 *     while (lease.isHeld(5_000) && (await pruneOneBatch())) {}
 *     await lease.release();
 *   }
 */
export class Lease {
  readonly owner: string;
  private readonly ttlMs: number;
  private readonly renewIntervalMs: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private claim?: { epoch: number; expiresAt: number };
  private keeper?: { timer?: NodeJS.Timeout };
  /** acquire, renew and release of one Lease run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: LeaseStore,
    readonly name: string,
    options: LeaseOptions,
  ) {
    if (!(options.ttlMs > 0)) throw new Error(`Lease ${name}: ttlMs must be positive`);
    this.ttlMs = options.ttlMs;
    this.renewIntervalMs = options.renewIntervalMs ?? Math.max(1, Math.floor(options.ttlMs / 3));
    if (this.renewIntervalMs >= this.ttlMs) {
      throw new Error(`Lease ${name}: renewIntervalMs must be shorter than ttlMs`);
    }
    this.owner = options.owner ?? defaultOwner();
    this.clock = options.clock ?? new SystemClock();
    this.logger = new Logger(`Lease:${name}`);
  }

  /** The epoch of this process's claim, while it has one. */
  get epoch(): number | undefined {
    return this.claim?.epoch;
  }

  /** When this process's claim ends unless renewed. */
  get expiresAt(): Date | undefined {
    return this.claim ? new Date(this.claim.expiresAt) : undefined;
  }

  /**
   * Whether this process holds the lease with at least `marginMs` of its claim left, by its own
   * clock. No round trip: cheap enough to ask before every step of the guarded work.
   */
  isHeld(marginMs = 0): boolean {
    return this.claim !== undefined && this.now() + marginMs < this.claim.expiresAt;
  }

  /**
   * Takes the lease if it is free or its holder's claim expired (renews it when this process holds
   * it already). Resolves whether this process holds it now.
   */
  acquire(): Promise<boolean> {
    return this.serialised(async () => {
      if (this.claim && this.isHeld()) return this.claimEpoch(this.claim.epoch + 1);
      const latest = await this.store.latest(this.name);
      const taken =
        latest !== null && latest.expiresAt.getTime() > this.now() && latest.owner !== this.owner;
      if (taken) {
        this.claim = undefined;
        return false;
      }
      return this.claimEpoch((latest?.epoch ?? NO_CLAIM_EPOCH) + 1);
    });
  }

  /**
   * Claims the next epoch before this one expires. False when another process took over, or the
   * claim had already run out (someone may hold the lease now): stop the guarded work at once.
   * A database error rejects and leaves the claim as it was, valid until it expires.
   */
  renew(): Promise<boolean> {
    return this.serialised(async () => {
      if (!this.claim) return false;
      if (!this.isHeld()) {
        this.claim = undefined;
        return false;
      }
      return this.claimEpoch(this.claim.epoch + 1);
    });
  }

  /**
   * Renews every `renewIntervalMs` until released or lost; `onLost` is called once when another
   * process took over or the claim ran out while renewals failed.
   */
  keep(onLost: () => void): void {
    this.stopKeeping();
    const keeper: { timer?: NodeJS.Timeout } = {};
    this.keeper = keeper;
    const schedule = () => {
      keeper.timer = setTimeout(() => void tick(), this.renewIntervalMs);
      keeper.timer.unref();
    };
    const tick = async () => {
      let held: boolean;
      try {
        held = await this.renew();
      } catch (error) {
        held = this.isHeld();
        this.logger.warn(`renewal failed (${held ? 'retrying' : 'lease lost'}): ${message(error)}`);
      }
      if (this.keeper !== keeper) return;
      if (held) return schedule();
      this.keeper = undefined;
      onLost();
    };
    schedule();
  }

  /** Stops renewing (the claim then runs out at its expiry) without releasing. */
  stopKeeping(): void {
    clearTimeout(this.keeper?.timer);
    this.keeper = undefined;
  }

  /**
   * Gives the lease up so that another process takes over at its next attempt (graceful
   * shutdown). Does nothing when this process holds no claim, or one that has run out.
   */
  release(): Promise<void> {
    this.stopKeeping();
    return this.serialised(async () => {
      const claim = this.claim;
      this.claim = undefined;
      if (!claim) return;
      const now = this.now();
      if (now >= claim.expiresAt) return; // someone else may hold it by now: touch nothing
      const epoch = claim.epoch + 1;
      const released = await this.store.insert({
        ...this.record(epoch, now),
        expiresAt: new Date(now),
        released: true,
      });
      if (released) await this.store.pruneBelow(this.name, epoch);
    });
  }

  /** The latest record as stored: who holds the lease, or held it last. */
  latest(): Promise<LeaseRecord | null> {
    return this.store.latest(this.name);
  }

  private async claimEpoch(epoch: number): Promise<boolean> {
    const record = this.record(epoch, this.now());
    const inserted = await this.store.insert(record);
    // One read decides whether the claim counts: it must be the latest record (see the class
    // comment). A duplicate key may still be ours: an earlier attempt whose answer was lost.
    const latest = await this.store.latest(this.name);
    const ours = latest !== null && latest.epoch === epoch && latest.owner === this.owner;
    if (!ours) {
      if (inserted) await this.store.delete(record._id);
      this.claim = undefined;
      return false;
    }
    this.claim = { epoch, expiresAt: latest.expiresAt.getTime() };
    await this.store.pruneBelow(this.name, epoch).catch((error: unknown) => {
      this.logger.debug(`pruning superseded claims failed (retried next time): ${message(error)}`);
    });
    return true;
  }

  private record(epoch: number, now: number): LeaseRecord {
    return {
      _id: leaseRecordId(this.name, epoch),
      name: this.name,
      epoch,
      owner: this.owner,
      expiresAt: new Date(now + this.ttlMs),
      createdAt: new Date(now),
    };
  }

  private serialised<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

function defaultOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
