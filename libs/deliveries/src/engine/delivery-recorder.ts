import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Collection } from 'mongodb';
import { BatchInserter, type BatchInserterOptions } from '../storage/batch-inserter';
import {
  attemptIdOf,
  type AttemptSummary,
  type DeliveryAttemptDocument,
  type DeliveryDocument,
  type DeliveryQueueDocument,
} from '../storage/delivery.documents';
import {
  deliveryOf,
  storedDelivery,
  storedProgress,
  type StoredDelivery,
} from '../storage/stored-delivery';
import { attemptOf, storedAttempt, type StoredAttempt } from '../storage/stored-attempt';
import { scopesOf } from '../storage/delivery-scopes';
import { entriesFor, type SlotDirectoryWriter } from '../storage/slot-directory';
import { timeSlotsOf, type SlotField } from '../storage/time-slots';
import {
  directoryOf,
  inLane,
  type QueueLaneDocument,
  type QueueSlotDocument,
} from '../storage/queue-layout';
import { ListingInserts } from '../storage/listing-inserts';
import { retryTransient } from '../storage/transient-retry';
import { PermanentWriteError } from '../storage/write-errors';
import { redactSignatures } from '../signing/signature-redaction';
import type { DeliveryClaims } from './delivery-claims';
import type { DeliveryJob } from './delivery-job';

/** What an attempt was, before it is recorded (the recorder adds its id and token). */
export type AttemptRecord = Omit<
  DeliveryAttemptDocument,
  '_id' | 'token' | 'duplicateOf' | SlotField
>;

export interface RecorderCollections {
  attempts: Collection<StoredAttempt>;
  queue: Collection<DeliveryQueueDocument>;
  lanes: Collection<QueueLaneDocument>;
  slots: Collection<QueueSlotDocument>;
  deliveries: Collection<StoredDelivery>;
}

/**
 * What a recorded attempt sets off beyond its delivery (AttemptConsequences: the endpoint's
 * health, pauses and the operational events), run inside `follow`, so a repeated step repeats it.
 */
export interface AttemptFollowUp {
  followed(job: DeliveryJob, attempt: DeliveryAttemptDocument): Promise<void>;
}

const NO_FOLLOW_UP: AttemptFollowUp = { followed: () => Promise.resolve() };

const BATCHING: BatchInserterOptions = { maxBatch: 200, lingerMs: 5, maxConcurrentFlushes: 4 };

/**
 * An attempt's writer token: this process's random tag and a count, unique across processes and
 * restarts as a random token per attempt is, without asking the kernel for entropy every time
 * (that was 2% of the worker's CPU at 1,000 attempts/s).
 */
const WRITER_TAG = randomBytes(9).toString('base64url');
let tokensIssued = 0;
function nextWriterToken(): string {
  return `${WRITER_TAG}${(tokensIssued++).toString(36)}`;
}

/**
 * Records attempts and what follows them. The insert of attempt n (`<delivery>:<n>`) is the
 * commit point: whoever lands it decides what follows; then, in this order, the next attempt's
 * queue entry (when retrying), the delivery's summary, and the removal of the queue entry and
 * claims the attempt was made from. Each of those writes is idempotent, so a crash anywhere in
 * between is repaired by doing the step again: a Kafka-fed delivery is read again from its
 * uncommitted offset, a queued one is claimed again, and both find attempt n recorded and only
 * write what follows it (`follow`).
 *
 * Transient failures are retried until they land (an outage delays records, never drops them);
 * a permanent refusal of a document is logged and the attempt recorded without its response
 * details, so one bad document never holds back the rest.
 */
export class DeliveryRecorder {
  private readonly logger = new Logger(DeliveryRecorder.name);
  private readonly attemptInserts: BatchInserter<StoredAttempt>;
  private readonly queueInserts: BatchInserter<DeliveryQueueDocument>;
  private readonly laneInserts: BatchInserter<QueueLaneDocument>;
  private readonly slotInserts: BatchInserter<QueueSlotDocument>;
  private readonly laneListings: ListingInserts<QueueLaneDocument>;
  private readonly slotListings: ListingInserts<QueueSlotDocument>;
  private readonly summaryInserts: BatchInserter<StoredDelivery>;

  constructor(
    private readonly collections: RecorderCollections,
    private readonly claims: DeliveryClaims,
    private readonly directory: SlotDirectoryWriter,
    private readonly signal: AbortSignal,
    private readonly followUp: AttemptFollowUp = NO_FOLLOW_UP,
  ) {
    this.attemptInserts = new BatchInserter(collections.attempts, BATCHING);
    this.queueInserts = new BatchInserter(collections.queue, BATCHING);
    this.laneInserts = new BatchInserter(collections.lanes, BATCHING);
    this.slotInserts = new BatchInserter(collections.slots, BATCHING);
    this.laneListings = new ListingInserts(this.laneInserts);
    this.slotListings = new ListingInserts(this.slotInserts);
    this.summaryInserts = new BatchInserter(collections.deliveries, BATCHING);
  }

  /** The attempt as recorded by anyone, if it is: a claimed entry checks this before sending. */
  async recorded(deliveryId: string, number: number): Promise<DeliveryAttemptDocument | null> {
    const id = attemptIdOf(deliveryId, number);
    const stored = await retryTransient(() => this.collections.attempts.findOne({ _id: id }), {
      what: `reading attempt ${id}`,
      signal: this.signal,
    });
    return stored && attemptOf(stored);
  }

  /** The delivery's summary, if it has one (the redelivery of an event checks this). */
  async summaryOf(deliveryId: string): Promise<DeliveryDocument | null> {
    const stored = await retryTransient(
      () => this.collections.deliveries.findOne({ _id: deliveryId }),
      { what: `reading delivery ${deliveryId}`, signal: this.signal },
    );
    return stored && deliveryOf(stored);
  }

  /**
   * Records the attempt the job made and what follows it. Resolves once all of it is durable.
   * The request's signatures are stored `[redacted]`: auditors read this record, and a signature
   * with the stored body is a request the receiver accepts within its timestamp tolerance.
   */
  async record(job: DeliveryJob, attempt: AttemptRecord): Promise<void> {
    const document: DeliveryAttemptDocument = {
      ...attempt,
      requestHeaders: redactSignatures(attempt.requestHeaders),
      ...timeSlotsOf(job.createdAt),
      _id: attemptIdOf(job.id, attempt.number),
      token: nextWriterToken(),
    };
    const winner = await this.insertAttempt(document);
    await this.follow(job, winner);
  }

  /**
   * Writes what follows a recorded attempt: the next attempt's entry, what the attempt sets off
   * (the follow-up: health, pauses, operational events), the summary, and the removal of the queue
   * entry and claims it was made from. Idempotent. The follow-up comes before the summary: a
   * Kafka-fed delivery whose summary is written is not followed again after a crash, so whatever
   * must be redone after one (an announcement not yet out) has to be done by then.
   */
  async follow(job: DeliveryJob, attempt: DeliveryAttemptDocument): Promise<void> {
    if (attempt.outcome.status === 'retrying') {
      await this.insertQueued(nextAttemptEntry(job, attempt));
    }
    await this.followUp.followed(job, attempt);
    await this.writeSummary(job, summaryAfter(job, attempt));
    if (job.origin.kind === 'queue') await this.clearAttempt(job.id, attempt.number);
  }

  /** No room for it in memory now: the delivery waits in the queue, due at `dueAt`. */
  async park(job: DeliveryJob, dueAt: Date, now: Date): Promise<void> {
    await this.insertQueued(entryFor(job, dueAt, now));
    await this.writeSummary(job, pendingSummary(job, dueAt, now));
  }

  /** Flushes the batches under way (for a graceful stop). */
  async flush(): Promise<void> {
    await Promise.all([
      this.attemptInserts.flush(),
      this.queueInserts.flush(),
      this.laneInserts.flush(),
      this.slotInserts.flush(),
      this.summaryInserts.flush(),
      this.directory.flush(),
    ]);
  }

  stop(): void {
    this.attemptInserts.stop();
    this.queueInserts.stop();
    this.laneInserts.stop();
    this.slotInserts.stop();
    this.summaryInserts.stop();
    this.directory.stop();
  }

  /** Lands the attempt, or finds who landed it first; returns the record that counts. */
  private async insertAttempt(document: DeliveryAttemptDocument): Promise<DeliveryAttemptDocument> {
    let outcome: 'inserted' | 'duplicate';
    try {
      outcome = await this.attemptInserts.insert(storedAttempt(document));
    } catch (error) {
      if (!(error instanceof PermanentWriteError)) throw error;
      this.logger.error(
        `attempt ${document._id} refused, recorded without its response: ${error.reason}`,
      );
      outcome = await this.attemptInserts.insert(
        storedAttempt(withoutResponse(document, error.reason)),
      );
    }
    if (outcome === 'inserted') return document;
    const existing = await this.recorded(document.deliveryId, document.number);
    // Our own insert, landed by a try whose answer was lost.
    if (!existing || existing.token === document.token) return document;
    // Another worker recorded this attempt first (a rebalance, an expired claim): ours was a
    // second send. Kept for auditors, but theirs decides what follows.
    const duplicate = {
      ...document,
      _id: `${document._id}~${document.token}`,
      duplicateOf: document.number,
    };
    await this.attemptInserts.insert(storedAttempt(duplicate));
    this.logger.warn(`attempt ${document._id} was also made elsewhere; kept as ${duplicate._id}`);
    return existing;
  }

  /**
   * The entry, then its lane's and slot's listing (queue-layout.ts), in that order: a poller that
   * finds a lane empty and unlists it looks again afterwards, so an entry is never left unlisted.
   * A duplicate is the same document written before (a repeated step, a listed lane): nothing to do.
   */
  private async insertQueued(entry: DeliveryQueueDocument): Promise<void> {
    // Listed first: a process killed between the two writes leaves a listed lane without the
    // entry (read empty, unlisted later), never an entry no poller can find.
    const listing = directoryOf(entry);
    if (listing.slot) await this.slotListings.insert(listing.slot);
    await this.laneListings.insert(listing.lane);
    await this.queueInserts.insert(entry);
  }

  private async writeSummary(job: DeliveryJob, summary: DeliveryDocument): Promise<void> {
    // Listed first, written next: a summary is never in a slot its scopes' directory lacks.
    await this.directory.register(entriesFor(scopesOf(summary), summary.createdAt));
    if (!job.hasSummary) {
      if ((await this.summaryInserts.insert(storedDelivery(summary))) === 'inserted') return;
    }
    const { _id, attemptCount } = summary;
    // Only forward: a late writer of an older attempt (a zombie) never overwrites a newer one.
    await retryTransient(
      () =>
        this.collections.deliveries.updateOne(
          { _id, attemptCount: { $lte: attemptCount } },
          { $set: storedProgress(summary) },
        ),
      { what: `updating delivery ${_id}`, signal: this.signal },
    );
  }

  private async clearAttempt(deliveryId: string, number: number): Promise<void> {
    await retryTransient(() => this.collections.queue.deleteMany({ deliveryId, attempt: number }), {
      what: `removing the queue entries of ${attemptIdOf(deliveryId, number)}`,
      signal: this.signal,
    });
    await this.claims.clear(attemptIdOf(deliveryId, number));
  }
}

/** The queue entry of the next automatic attempt after `attempt`, which is retrying. */
function nextAttemptEntry(
  job: DeliveryJob,
  attempt: DeliveryAttemptDocument,
): DeliveryQueueDocument {
  const outcome = attempt.outcome as { status: 'retrying'; nextAttemptAt: Date };
  return inLane({
    _id: attemptIdOf(job.id, attempt.number + 1),
    deliveryId: job.id,
    webhookId: job.webhookId,
    eventId: job.eventId,
    eventType: job.eventType,
    environment: job.environment,
    attempt: attempt.number + 1,
    dueAt: outcome.nextAttemptAt,
    trigger: 'automatic',
    oneShot: false,
    requestedBy: null,
    latestRequestedBy: latestRequestOf(job, attempt),
    scheduledAttempts: attempt.scheduledAttempts,
    deliveryCreatedAt: job.createdAt,
    enqueuedAt: attempt.at,
  });
}

/** The entry that holds a job's attempt in the queue (parked: no room in memory for it now). */
function entryFor(job: DeliveryJob, dueAt: Date, now: Date): DeliveryQueueDocument {
  return inLane({
    _id: attemptIdOf(job.id, job.attempt),
    deliveryId: job.id,
    webhookId: job.webhookId,
    eventId: job.eventId,
    eventType: job.eventType,
    environment: job.environment,
    attempt: job.attempt,
    dueAt,
    trigger: job.trigger,
    oneShot: job.oneShot,
    requestedBy: job.requestedBy,
    latestRequestedBy: job.latestRequestedBy,
    scheduledAttempts: job.scheduledAttempts,
    deliveryCreatedAt: job.createdAt,
    enqueuedAt: now,
  });
}

function summaryAfter(job: DeliveryJob, attempt: DeliveryAttemptDocument): DeliveryDocument {
  const { outcome } = attempt;
  const finished = outcome.status !== 'retrying';
  return {
    _id: job.id,
    webhookId: job.webhookId,
    eventId: job.eventId,
    eventType: job.eventType,
    environment: job.environment,
    status: outcome.status,
    attemptCount: attempt.number,
    scheduledAttempts: attempt.scheduledAttempts,
    nextAttemptAt: outcome.status === 'retrying' ? outcome.nextAttemptAt : null,
    lastAttempt: summaryOf(attempt),
    failureReason: outcome.status === 'failed' ? outcome.reason : null,
    requestedBy: latestRequestOf(job, attempt),
    createdAt: job.createdAt,
    updatedAt: attempt.at,
    finishedAt: finished ? attempt.at : null,
    ...(job.source && { source: job.source }),
  };
}

function pendingSummary(job: DeliveryJob, dueAt: Date, now: Date): DeliveryDocument {
  return {
    _id: job.id,
    webhookId: job.webhookId,
    eventId: job.eventId,
    eventType: job.eventType,
    environment: job.environment,
    status: job.attempt === 1 ? 'pending' : 'retrying',
    attemptCount: job.attempt - 1,
    scheduledAttempts: job.scheduledAttempts,
    nextAttemptAt: dueAt,
    lastAttempt: null,
    failureReason: null,
    requestedBy: job.latestRequestedBy,
    createdAt: job.createdAt,
    updatedAt: now,
    finishedAt: null,
    ...(job.source && { source: job.source }),
  };
}

/**
 * Who made the delivery's latest manual request: this attempt's asker when it was asked for (the
 * attempt recorded, which may be another worker's), else whoever asked before.
 */
function latestRequestOf(job: DeliveryJob, attempt: DeliveryAttemptDocument): string | null {
  return attempt.trigger === 'manual' && attempt.requestedBy
    ? attempt.requestedBy
    : job.latestRequestedBy;
}

function summaryOf(attempt: DeliveryAttemptDocument): AttemptSummary {
  return {
    number: attempt.number,
    at: attempt.at,
    responseStatus: attempt.responseStatus,
    error: attempt.error,
    durationMs: attempt.durationMs,
  };
}

/** The attempt without the parts a database may refuse (the receiver's answer, our headers). */
function withoutResponse(
  document: DeliveryAttemptDocument,
  reason: string,
): DeliveryAttemptDocument {
  return {
    ...document,
    requestHeaders: {},
    responseBody: null,
    error: `${document.error ?? 'ok'} (details not recorded: ${reason})`,
  };
}
