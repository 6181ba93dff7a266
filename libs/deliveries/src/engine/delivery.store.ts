import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { DATABASE_CONNECTION } from '@app/platform';
import {
  DELIVERY_HISTORY_COLLECTION,
  DELIVERY_QUEUE_COLLECTION,
  type DeliveryHistoryDocument,
  type DeliveryQueueDocument,
} from '../storage/delivery.documents';
import { BatchInserter } from './batch-inserter';
import type { DeliveryJob } from './delivery-job';

const EPOCH = new Date(0);

/**
 * The worker's writes to the delivery queue and history (see delivery.documents.ts for the split).
 * Finished deliveries and new queue entries are inserted in batches; a failed write is retried with
 * back-off until it lands, so a database outage delays deliveries' records but drops none.
 */
@Injectable()
export class DeliveryStore implements OnModuleDestroy {
  private readonly logger = new Logger(DeliveryStore.name);
  private readonly queue: Collection<DeliveryQueueDocument>;
  private readonly history: Collection<DeliveryHistoryDocument>;
  private readonly historyInserts: BatchInserter<DeliveryHistoryDocument>;
  private readonly queueInserts: BatchInserter<DeliveryQueueDocument>;
  private closed = false;

  constructor(@Inject(DATABASE_CONNECTION) connection: Connection) {
    this.queue = connection.collection<DeliveryQueueDocument>(DELIVERY_QUEUE_COLLECTION);
    this.history = connection.collection<DeliveryHistoryDocument>(DELIVERY_HISTORY_COLLECTION);
    const batching = { maxBatch: 200, lingerMs: 5, maxConcurrentFlushes: 4 };
    this.historyInserts = new BatchInserter(this.history, batching);
    this.queueInserts = new BatchInserter(this.queue, batching);
  }

  /** Indexes for MongoDB (FerretDB keeps them but filters in its own process anyway). */
  async ensureIndexes(): Promise<void> {
    await this.queue.createIndex({ nextAttemptAt: 1 });
    await this.queue.createIndex({ webhookId: 1, createdAt: -1 });
    await this.queue.createIndex({ createdAt: -1, _id: -1 });
    await this.history.createIndex({ createdAt: -1, _id: -1 });
    await this.history.createIndex({ webhookId: 1, createdAt: -1 });
    await this.history.createIndex({ status: 1, createdAt: -1 });
    await this.history.createIndex({ eventType: 1, createdAt: -1 });
  }

  /** The delivery is done for good: history first, then the queue entry goes (a crash between leaves a stale entry, see claimDue). */
  async finish(job: DeliveryJob, status: 'succeeded' | 'failed', now: Date): Promise<void> {
    const record: DeliveryHistoryDocument = {
      ...this.base(job, now),
      status,
      nextAttemptAt: null,
      finishedAt: now,
    };
    const outcome = await this.historyInserts.insert(record);
    // Recorded before: a manual re-send of a finished delivery, or a replayed event. Latest wins.
    if (outcome === 'duplicate') {
      await this.retrying(() => this.history.replaceOne({ _id: job.id }, record, { upsert: true }));
    }
    if (job.origin === 'queue') await this.retrying(() => this.queue.deleteOne({ _id: job.id }));
  }

  /** Another attempt is due at `nextAttemptAt`; the entry is released for any worker to claim then. */
  async scheduleRetry(job: DeliveryJob, nextAttemptAt: Date, now: Date): Promise<void> {
    await this.putInQueue(job, 'retrying', nextAttemptAt, now);
  }

  /** No room in memory for it now: park it in the queue, due at `dueAt`, for whoever has room then. */
  async park(job: DeliveryJob, dueAt: Date, now: Date): Promise<void> {
    await this.putInQueue(job, job.attempts.length === 0 ? 'pending' : 'retrying', dueAt, now);
  }

  /**
   * Claims up to `limit` due queue entries for `owner` until `leaseUntil`. The claim is a
   * conditional update on the lease seen, so on MongoDB two workers never both win an entry (on
   * FerretDB, which has no atomic updates, run one worker). An entry that a worker had claimed and
   * then finished, but whose removal was lost in a crash, is recognised by its history record and
   * removed instead of being sent again.
   */
  async claimDue(
    limit: number,
    owner: string,
    now: Date,
    leaseUntil: Date,
  ): Promise<DeliveryQueueDocument[]> {
    const due = await this.queue
      .find({ nextAttemptAt: { $lte: now }, leaseUntil: { $lte: now } })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .toArray();
    const claimed: DeliveryQueueDocument[] = [];
    for (const entry of due) {
      const result = await this.queue.updateOne(
        { _id: entry._id, leaseUntil: entry.leaseUntil },
        { $set: { leaseUntil, leaseOwner: owner } },
      );
      if (result.modifiedCount !== 1) continue;
      if (entry.leaseOwner !== null && (await this.finishedAlready(entry))) {
        await this.queue.deleteOne({ _id: entry._id });
        continue;
      }
      claimed.push({ ...entry, leaseUntil, leaseOwner: owner });
    }
    return claimed;
  }

  /** Lets go of a claimed entry without attempting it (e.g. its endpoint has no room now). */
  async release(id: string, nextAttemptAt: Date): Promise<void> {
    await this.retrying(() =>
      this.queue.updateOne(
        { _id: id },
        { $set: { nextAttemptAt, leaseUntil: EPOCH, leaseOwner: null } },
      ),
    );
  }

  /** Whether the delivery is recorded anywhere (queue or history): used when an event repeats. */
  async isRecorded(id: string): Promise<boolean> {
    if (await this.queue.findOne({ _id: id }, { projection: { _id: 1 } })) return true;
    return (await this.history.findOne({ _id: id }, { projection: { _id: 1 } })) !== null;
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.historyInserts.close();
    this.queueInserts.close();
  }

  private async finishedAlready(entry: DeliveryQueueDocument): Promise<boolean> {
    const record = await this.history.findOne(
      { _id: entry._id },
      { projection: { attemptCount: 1 } },
    );
    return record !== null && record.attemptCount >= entry.attemptCount && !entry.manual;
  }

  private async putInQueue(
    job: DeliveryJob,
    status: 'pending' | 'retrying',
    nextAttemptAt: Date,
    now: Date,
  ): Promise<void> {
    const entry: DeliveryQueueDocument = {
      ...this.base(job, now),
      status,
      nextAttemptAt,
      manual: false,
      leaseUntil: EPOCH,
      leaseOwner: null,
    };
    if (job.origin === 'memory') {
      const outcome = await this.queueInserts.insert(entry);
      if (outcome === 'inserted') return;
    }
    await this.retrying(() => this.queue.replaceOne({ _id: job.id }, entry, { upsert: true }));
  }

  private base(job: DeliveryJob, now: Date) {
    return {
      _id: job.id,
      webhookId: job.webhookId,
      eventId: job.eventId,
      eventType: job.eventType,
      environment: job.environment,
      payload: job.payload,
      attempts: job.attempts,
      attemptCount: job.attempts.length,
      scheduledAttempts: job.scheduledAttempts,
      createdAt: job.createdAt,
      updatedAt: now,
      ...(job.source && { source: job.source }),
    };
  }

  private async retrying<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        if (this.closed) throw error;
        this.logger.warn(`delivery write failed, retrying: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  }
}
