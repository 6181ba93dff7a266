import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PAUSE_KINDS } from '@app/webhooks';
import type { SendResult } from '../sending/http-sender';

/**
 * What operators watch on a worker's `/metrics`: attempts by outcome and their durations, finished
 * deliveries, retries and parked work, platform events taken in, repeated or dead-lettered, and
 * the work held in memory, webhooks paused automatically and deliveries whose retries ran out.
 * Labels are fixed sets (outcome, status, kind), never ids or URLs.
 */
@Injectable()
export class DeliveryMetrics {
  readonly attempts: Counter<'outcome'>;
  readonly attemptSeconds: Histogram;
  readonly finished: Counter<'status'>;
  readonly retriesScheduled: Counter;
  readonly exhausted: Counter;
  readonly paused: Counter<'kind'>;
  readonly parked: Counter;
  readonly eventsAccepted: Counter;
  readonly eventsRepeated: Counter;
  readonly inMemory: Gauge;
  readonly intakeEvents: Gauge;
  readonly intakeBytes: Gauge;
  private inMemorySource: () => number = () => 0;
  private intakeSource: () => { events: number; bytes: number } = () => ({ events: 0, bytes: 0 });

  constructor(registry: Registry) {
    const registers = [registry];
    this.attempts = new Counter({
      name: 'webhook_delivery_attempts_total',
      help: 'HTTP delivery attempts by outcome (succeeded, failed, gone)',
      labelNames: ['outcome'],
      registers,
    });
    this.attemptSeconds = new Histogram({
      name: 'webhook_delivery_attempt_duration_seconds',
      help: 'Duration of HTTP delivery attempts, connection to (cut) response body',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.finished = new Counter({
      name: 'webhook_deliveries_finished_total',
      help: 'Deliveries done for good, by status (succeeded, failed)',
      labelNames: ['status'],
      registers,
    });
    this.retriesScheduled = new Counter({
      name: 'webhook_delivery_retries_scheduled_total',
      help: 'Failed attempts followed by a scheduled retry',
      registers,
    });
    this.exhausted = new Counter({
      name: 'webhook_deliveries_exhausted_total',
      help: 'Deliveries failed for good because every attempt of the retry policy failed',
      registers,
    });
    this.paused = new Counter({
      name: 'webhooks_paused_total',
      help: 'Webhooks paused automatically, by kind (gone: 410 Gone; failing: failing for too long)',
      labelNames: ['kind'],
      registers,
    });
    // Every kind shows from the start (at 0), so a rate over it needs no first pause.
    for (const kind of PAUSE_KINDS) this.paused.inc({ kind }, 0);
    this.parked = new Counter({
      name: 'webhook_deliveries_parked_total',
      help: 'Deliveries moved from memory to the delivery queue because their endpoint was busy',
      registers,
    });
    this.eventsAccepted = new Counter({
      name: 'platform_events_accepted_total',
      help: 'Valid platform events taken in (first sight of their id)',
      registers,
    });
    this.eventsRepeated = new Counter({
      name: 'platform_events_repeated_total',
      help: 'Platform events whose id was seen before (redelivery or a producer retry)',
      registers,
    });
    const readInMemory = () => this.inMemorySource();
    this.inMemory = new Gauge({
      name: 'webhook_deliveries_in_memory',
      help: 'Deliveries held in this worker’s memory, running or waiting for a slot',
      registers,
      // Read when scraped, from whoever holds the work (the engine's dispatcher).
      collect() {
        this.set(readInMemory());
      },
    });
    const readIntake = () => this.intakeSource();
    this.intakeEvents = new Gauge({
      name: 'platform_events_in_memory',
      help: 'Platform events taken in whose deliveries are not all recorded yet',
      registers,
      collect() {
        this.set(readIntake().events);
      },
    });
    this.intakeBytes = new Gauge({
      name: 'platform_event_bytes_in_memory',
      help: 'Size of the platform events taken in whose deliveries are not all recorded yet',
      registers,
      collect() {
        this.set(readIntake().bytes);
      },
    });
  }

  /** Where `platform_events_in_memory` and `platform_event_bytes_in_memory` are read from. */
  watchIntake(source: () => { events: number; bytes: number }): void {
    this.intakeSource = source;
  }

  /** Where `webhook_deliveries_in_memory` is read from. */
  watchInMemory(source: () => number): void {
    this.inMemorySource = source;
  }

  attempted(result: Pick<SendResult, 'outcome' | 'durationMs'>): void {
    this.attempts.inc({ outcome: result.outcome });
    this.attemptSeconds.observe(result.durationMs / 1000);
  }
}
