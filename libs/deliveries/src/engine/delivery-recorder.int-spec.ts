import type { Connection } from 'mongoose';
import { dropTestDatabase, openTestDatabase } from '../../../../test/support/test-database';
import {
  DELIVERIES_COLLECTION,
  DELIVERY_ATTEMPTS_COLLECTION,
  DELIVERY_CLAIMS_COLLECTION,
  DELIVERY_QUEUE_COLLECTION,
  type DeliveryAttemptDocument,
} from '../storage/delivery.documents';
import { ensureDeliveryIndexes } from '../storage/delivery-indexes';
import {
  DELIVERY_QUEUE_LANES_COLLECTION,
  DELIVERY_QUEUE_SLOTS_COLLECTION,
} from '../storage/queue-layout';
import { DELIVERY_SLOTS_COLLECTION, SlotDirectoryWriter } from '../storage/slot-directory';
import { FAILURE_REASONS } from './attempt-consequences';
import { DeliveryClaims } from './delivery-claims';
import type { DeliveryJob } from './delivery-job';
import { DeliveryRecorder, type AttemptFollowUp, type AttemptRecord } from './delivery-recorder';

/** Stands in for a worker stopping (or dying) in the middle of the follow-up, the first time only. */
class StopOnceFollowUp implements AttemptFollowUp {
  readonly seen: { attempt: string; summaryExisted: boolean }[] = [];
  private stopped = false;

  constructor(private readonly connection: Connection) {}

  async followed(job: DeliveryJob, attempt: DeliveryAttemptDocument): Promise<void> {
    const summary = await this.connection
      .collection(DELIVERIES_COLLECTION)
      .findOne({ _id: job.id as never });
    this.seen.push({ attempt: attempt._id, summaryExisted: summary !== null });
    if (!this.stopped) {
      this.stopped = true;
      throw new Error('stopping before the announcement was out');
    }
  }
}

const job: DeliveryJob = {
  id: 'dlv_exhausted',
  webhookId: 'wh-1',
  eventId: 'evt-1',
  eventType: 'license.created',
  environment: 'production',
  body: '{}',
  attempt: 1,
  scheduledAttempts: 0,
  trigger: 'automatic',
  oneShot: false,
  requestedBy: null,
  latestRequestedBy: null,
  createdAt: new Date(),
  origin: { kind: 'memory' },
  hasSummary: false,
};

const exhausted: AttemptRecord = {
  deliveryId: job.id,
  webhookId: job.webhookId,
  eventId: job.eventId,
  number: 1,
  at: new Date(),
  trigger: 'automatic',
  requestedBy: null,
  url: 'https://crm.example/in',
  requestHeaders: {},
  responseStatus: 500,
  responseBody: null,
  durationMs: 3,
  error: 'HTTP 500',
  outcome: { status: 'failed', reason: FAILURE_REASONS.exhausted },
  scheduledAttempts: 1,
};

describe('DeliveryRecorder: what an attempt sets off runs inside the step a crash redoes (real database)', () => {
  let connection: Connection;
  let stopping: AbortController;

  beforeEach(async () => {
    connection = await openTestDatabase('delivery_recorder');
    await ensureDeliveryIndexes(connection);
    stopping = new AbortController();
  });

  afterEach(async () => {
    stopping.abort();
    await dropTestDatabase(connection);
  });

  function recorder(followUp: AttemptFollowUp): DeliveryRecorder {
    return new DeliveryRecorder(
      {
        attempts: connection.collection(DELIVERY_ATTEMPTS_COLLECTION),
        queue: connection.collection(DELIVERY_QUEUE_COLLECTION),
        lanes: connection.collection(DELIVERY_QUEUE_LANES_COLLECTION),
        slots: connection.collection(DELIVERY_QUEUE_SLOTS_COLLECTION),
        deliveries: connection.collection(DELIVERIES_COLLECTION),
      },
      new DeliveryClaims(
        connection.collection(DELIVERY_CLAIMS_COLLECTION),
        'test',
        stopping.signal,
      ),
      new SlotDirectoryWriter(connection.collection(DELIVERY_SLOTS_COLLECTION)),
      stopping.signal,
      followUp,
    );
  }

  it('given a Kafka-fed delivery whose follow-up is cut short after its attempt is recorded, then no summary is written, and following the recorded attempt again (the replay) runs the follow-up again and then writes it', async () => {
    const followUp = new StopOnceFollowUp(connection);
    const first = recorder(followUp);

    await expect(first.record(job, exhausted)).rejects.toThrow(/stopping/);

    // The commit point is in, the summary is not: a redelivered event finds the delivery unfinished.
    const recorded = await first.recorded(job.id, 1);
    expect(recorded).toMatchObject({ _id: `${job.id}:1`, outcome: exhausted.outcome });
    expect(await first.summaryOf(job.id)).toBeNull();

    // What DeliveryEngine.finishRecordedDelivery does for the replayed event, on another worker.
    await recorder(followUp).follow(job, recorded as DeliveryAttemptDocument);

    expect(followUp.seen).toEqual([
      { attempt: `${job.id}:1`, summaryExisted: false },
      { attempt: `${job.id}:1`, summaryExisted: false },
    ]);
    expect(await first.summaryOf(job.id)).toMatchObject({ status: 'failed', attemptCount: 1 });
  });
});
