import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@app/event-store';
import {
  UnacceptableEventError,
  type MessageSource,
  type PlatformEvent,
  type PlatformEventSink,
} from '@app/platform-events';
import { AppConfig } from '@app/config';
import { SubscriptionIndex } from '@app/webhooks';
import { deliveryIdOf } from '../domain/delivery-id';
import type { PlatformEventDocument } from '../storage/delivery.documents';
import { timeSlotsOf } from '../storage/time-slots';
import { PermanentWriteError } from '../storage/write-errors';
import { DeliveryEngine } from './delivery-engine';
import { DeliveryMetrics } from './delivery-metrics';
import { freshJob, type DeliveryJob } from './delivery-job';

/**
 * Turns a platform event into deliveries: one per active webhook of its environment subscribed to
 * its type, matched in memory. The event id is recorded first, with the webhooks it matched and
 * the request body (once for all its deliveries); the same id arriving again (a redelivery after
 * a crash, a producer's retry) then makes only the deliveries of that first match that are not
 * recorded yet, never a second one.
 *
 * It also keeps the worker's memory bounded: every event taken in counts, by number and by bytes,
 * until all its deliveries are recorded (also while the database is down and nothing can be), and
 * the consumer stops reading while either budget is spent.
 */
@Injectable()
export class DeliveryIntake implements PlatformEventSink {
  /** Deliveries of events being taken in, not yet recorded or handed to the dispatcher. */
  private accepting = 0;
  /** Events taken in and not yet fully recorded, and their size. */
  private events = 0;
  private bytes = 0;

  constructor(
    private readonly index: SubscriptionIndex,
    private readonly engine: DeliveryEngine,
    private readonly metrics: DeliveryMetrics,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    metrics.watchIntake(() => ({ events: this.events, bytes: this.bytes }));
  }

  whenReady(): Promise<void> {
    return this.engine.whenReady();
  }

  hasRoom(): boolean {
    const held = this.engine.inMemory + this.accepting + this.events;
    return (
      held < this.config.deliveryMaxInMemory && this.bytes < this.config.deliveryMaxInMemoryBytes
    );
  }

  whenRoom(): Promise<void> {
    return this.engine.whenRoom();
  }

  async accept(event: PlatformEvent, source: MessageSource, bytes: number): Promise<void> {
    const now = this.clock.now();
    const webhookIds = this.index.match(event.environment, event.type).map((target) => target.id);
    const body = JSON.stringify(event);
    this.events++;
    this.bytes += bytes;
    this.accepting += webhookIds.length;
    let jobs: DeliveryJob[];
    try {
      const outcome = await this.engine.recordEvent(
        eventDocument(event, body, webhookIds, source, now),
      );
      if (outcome === 'inserted') {
        this.metrics.eventsAccepted.inc();
        jobs = webhookIds.map((id) => freshJob(event, body, id, source, now));
      } else {
        this.metrics.eventsRepeated.inc();
        jobs = await this.unrecordedOfRepeat(event, body, source, now);
      }
    } catch (error) {
      this.release(bytes, webhookIds.length);
      if (error instanceof PermanentWriteError) throw new UnacceptableEventError(error.reason);
      throw error;
    }
    this.accepting -= webhookIds.length;
    try {
      await Promise.all(jobs.map((job) => this.engine.submit(job)));
    } finally {
      this.release(bytes, 0);
    }
  }

  private release(bytes: number, accepting: number): void {
    this.events--;
    this.bytes -= bytes;
    this.accepting -= accepting;
    this.engine.notifyRoom();
  }

  /**
   * An event id seen before: the deliveries of its first match that are not recorded yet. Those
   * held here are awaited; those recorded are finished by the engine (finishRecordedDelivery).
   */
  private async unrecordedOfRepeat(
    event: PlatformEvent,
    body: string,
    source: MessageSource,
    now: Date,
  ): Promise<DeliveryJob[]> {
    const first = await this.engine.recordedEvent(event.id);
    const jobs: DeliveryJob[] = [];
    for (const webhookId of first?.webhookIds ?? []) {
      const id = deliveryIdOf(event.id, webhookId);
      const inFlight = this.engine.completionOf(id);
      if (inFlight) {
        await inFlight;
        continue;
      }
      const job = freshJob(event, body, webhookId, source, first?.receivedAt ?? now);
      if (!(await this.engine.finishRecordedDelivery(job))) jobs.push(job);
    }
    return jobs;
  }
}

function eventDocument(
  event: PlatformEvent,
  body: string,
  webhookIds: string[],
  source: MessageSource,
  receivedAt: Date,
): PlatformEventDocument {
  return {
    _id: event.id,
    type: event.type,
    environment: event.environment,
    // Only needed to send: an event no webhook wanted keeps its id (deduplication), not its body.
    body: webhookIds.length > 0 ? body : '',
    webhookIds,
    receivedAt,
    ...timeSlotsOf(receivedAt),
    source,
  };
}
