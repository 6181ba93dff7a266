import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { CLOCK, type Clock } from '@app/event-store';
import { DATABASE_CONNECTION } from '@app/platform';
import type { MessageSource, PlatformEvent, PlatformEventSink } from '@app/platform-events';
import { SubscriptionIndex } from '@app/webhooks';
import { deliveryIdOf } from '../domain/delivery-id';
import {
  PLATFORM_EVENTS_COLLECTION,
  type PlatformEventDocument,
} from '../storage/delivery.documents';
import { BatchInserter } from './batch-inserter';
import { DeliveryEngine } from './delivery-engine';
import { DeliveryMetrics } from './delivery-metrics';
import { freshJob, type DeliveryJob } from './delivery-job';
import { DeliveryStore } from './delivery.store';

/**
 * Turns a platform event into deliveries: one per active webhook of its environment subscribed to
 * its type, matched in memory. The event id is recorded first, with the webhooks it matched; the
 * same id arriving again (a redelivery after a crash, a producer's retry) then makes only the
 * deliveries of that first match that are not recorded yet, never a second one.
 */
@Injectable()
export class DeliveryIntake implements PlatformEventSink, OnModuleDestroy {
  private readonly events: Collection<PlatformEventDocument>;
  private readonly eventInserts: BatchInserter<PlatformEventDocument>;
  /** Deliveries of events whose id is being recorded, not yet handed to the dispatcher. */
  private accepting = 0;

  constructor(
    @Inject(DATABASE_CONNECTION) connection: Connection,
    private readonly index: SubscriptionIndex,
    private readonly engine: DeliveryEngine,
    private readonly store: DeliveryStore,
    private readonly metrics: DeliveryMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.events = connection.collection<PlatformEventDocument>(PLATFORM_EVENTS_COLLECTION);
    this.eventInserts = new BatchInserter(this.events, {
      maxBatch: 200,
      lingerMs: 5,
      maxConcurrentFlushes: 2,
    });
  }

  whenReady(): Promise<void> {
    return this.index.whenReady();
  }

  /**
   * Room counts the deliveries of events still being recorded too: they reach the dispatcher only
   * once their event id is stored, and without them the consumer would read far ahead, then flood
   * the endpoints' lines at once and park the overflow.
   */
  hasRoom(): boolean {
    return this.engine.dispatcher.hasRoom(this.accepting);
  }

  whenRoom(): Promise<void> {
    return this.engine.dispatcher.whenRoom(this.accepting);
  }

  async accept(event: PlatformEvent, source: MessageSource): Promise<void> {
    const now = this.clock.now();
    const webhookIds = this.index.match(event.environment, event.type).map((target) => target.id);
    this.accepting += webhookIds.length;
    let jobs: DeliveryJob[];
    try {
      const outcome = await this.eventInserts.insert({
        _id: event.id,
        type: event.type,
        environment: event.environment,
        webhookIds,
        receivedAt: now,
        source,
      });
      if (outcome === 'inserted') {
        this.metrics.eventsAccepted.inc();
        jobs = webhookIds.map((webhookId) => freshJob(event, webhookId, source, now));
      } else {
        this.metrics.eventsRepeated.inc();
        jobs = await this.unrecordedOfRepeat(event, source, now);
      }
    } finally {
      this.accepting -= webhookIds.length;
    }
    await Promise.all(jobs.map((job) => this.engine.dispatcher.submit(job)));
  }

  onModuleDestroy(): void {
    this.eventInserts.close();
  }

  /** An event id seen before: the deliveries of its first match that are not recorded yet. */
  private async unrecordedOfRepeat(
    event: PlatformEvent,
    source: MessageSource,
    now: Date,
  ): Promise<DeliveryJob[]> {
    const first = await this.events.findOne({ _id: event.id });
    const jobs: DeliveryJob[] = [];
    for (const webhookId of first?.webhookIds ?? []) {
      const id = deliveryIdOf(event.id, webhookId);
      const inFlight = this.engine.dispatcher.completionOf(id);
      if (inFlight) await inFlight;
      else if (!(await this.store.isRecorded(id))) {
        jobs.push(freshJob(event, webhookId, source, first?.receivedAt ?? now));
      }
    }
    return jobs;
  }
}
