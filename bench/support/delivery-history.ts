import { performance } from 'node:perf_hooks';
import type { Connection } from 'mongoose';
import {
  ALL_EVENTS,
  attemptIdOf,
  DELIVERIES_COLLECTION,
  DELIVERY_ATTEMPTS_COLLECTION,
  DELIVERY_SLOTS_COLLECTION,
  deliveryIdOf,
  entriesFor,
  PLATFORM_EVENTS_COLLECTION,
  scopesOf,
  storedAttempt,
  storedDelivery,
  timeSlotsOf,
  type DeliveryAttemptDocument,
  type StoredAttempt,
  type DeliveryDocument,
  type PlatformEventDocument,
  type SlotEntry,
  type StoredDelivery,
} from '@app/deliveries';
import { EVENT_TYPES } from '@app/webhooks';
import { formatCount } from './stats';

const SEED_BATCH = 1_000;

/** `count` webhook ids of the shape the api makes (UUIDs), the same on every run. */
export function benchWebhookIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const hex = i.toString(16).padStart(12, '0');
    return `7e57be9c-0000-4000-8000-${hex}`;
  });
}

/** One seeded delivery: its event, webhook, time and outcome. */
export interface SeededDelivery {
  id: string;
  eventId: string;
  webhookId: string;
  eventType: string;
  /** 1 webhook in 10 is a staging one. */
  environment: 'production' | 'staging';
  createdAt: Date;
  failed: boolean;
  /** The one attempt's answer: 200, or for a failed one 500, 404 or none (null), in turn. */
  responseStatus: number | null;
}

/**
 * A history of finished deliveries written as the worker records them (the slot directory first,
 * then a summary and one attempt per delivery, one event per `fanOut` deliveries), 1,000 per
 * second of creation time, ending at `endMs`; 1 in 20 failed (with a 500, a 404 or no answer, in
 * turn: each 1 in 60), 1 webhook in 10 a staging one. Delivery i of n is the same on
 * every call, so a benchmark can seed part of the history, measure, and seed the rest.
 */
export class DeliveryHistory {
  /** Directory entries written so far (the worker keeps such a cache too). */
  private readonly listed = new Set<string>();

  constructor(
    private readonly webhookIds: readonly string[],
    private readonly fanOut: number,
  ) {}

  delivery(i: number, endMs: number, n: number): SeededDelivery {
    const event = Math.floor(i / this.fanOut);
    const eventId = `evt_bench_${event}`;
    const count = this.webhookIds.length;
    const webhook = (event * this.fanOut + (i % this.fanOut) * 997) % count;
    const webhookId = this.webhookIds[webhook];
    const createdAt = new Date(endMs - (n - i));
    const failed = i % 20 === 0;
    const eventType = EVENT_TYPES[event % EVENT_TYPES.length];
    const responseStatus = !failed ? 200 : i % 60 === 0 ? 500 : i % 60 === 20 ? 404 : null;
    return {
      eventId,
      webhookId,
      environment: webhook % 10 === 9 ? 'staging' : 'production',
      createdAt,
      failed,
      responseStatus,
      eventType,
      id: deliveryIdOf(eventId, webhookId),
    };
  }

  /** Writes deliveries `from` (inclusive) to `to` (exclusive) of `n`, logging the rate. */
  async seed(connection: Connection, from: number, to: number, endMs: number, n: number) {
    const summaries = connection.collection<StoredDelivery>(DELIVERIES_COLLECTION);
    const attempts = connection.collection<StoredAttempt>(DELIVERY_ATTEMPTS_COLLECTION);
    const events = connection.collection<PlatformEventDocument>(PLATFORM_EVENTS_COLLECTION);
    const slots = connection.collection<SlotEntry>(DELIVERY_SLOTS_COLLECTION);
    const started = performance.now();
    for (let batch = from; batch < to; batch += SEED_BATCH) {
      const rows: StoredDelivery[] = [];
      const tries: StoredAttempt[] = [];
      const bodies: PlatformEventDocument[] = [];
      const entries = new Map<string, SlotEntry>();
      const list = (listed: SlotEntry[]) => {
        for (const entry of listed) if (!this.listed.has(entry._id)) entries.set(entry._id, entry);
      };
      for (let i = batch; i < Math.min(to, batch + SEED_BATCH); i++) {
        const d = this.delivery(i, endMs, n);
        const summary = summaryOf(d, i);
        rows.push(storedDelivery(summary));
        list(entriesFor(scopesOf(summary), d.createdAt));
        tries.push(storedAttempt(seededAttempt(d)));
        if (i % this.fanOut === 0) {
          list(entriesFor([ALL_EVENTS], d.createdAt));
          bodies.push(eventOf(d, i));
        }
      }
      // As the worker does: the directory first, then the records.
      if (entries.size > 0) await slots.insertMany([...entries.values()], { ordered: false });
      for (const id of entries.keys()) this.listed.add(id);
      await Promise.all([
        summaries.insertMany(rows, { ordered: false }),
        attempts.insertMany(tries, { ordered: false }),
        bodies.length > 0 ? events.insertMany(bodies, { ordered: false }) : Promise.resolve(),
      ]);
      const done = Math.min(to, batch + SEED_BATCH);
      if (done % 50_000 === 0 || done === to) {
        const rate = ((done - from) * 1000) / (performance.now() - started);
        console.log(`  seeded ${formatCount(done)} deliveries (${formatCount(rate)}/s)`);
      }
    }
  }
}

function summaryOf(d: SeededDelivery, i: number): DeliveryDocument {
  const at = new Date(d.createdAt.getTime() + 40);
  return {
    _id: d.id,
    webhookId: d.webhookId,
    eventId: d.eventId,
    eventType: d.eventType,
    environment: d.environment,
    status: d.failed ? 'failed' : 'succeeded',
    attemptCount: 1,
    scheduledAttempts: 1,
    requestedBy: null,
    nextAttemptAt: null,
    lastAttempt: {
      number: 1,
      at,
      responseStatus: d.responseStatus,
      error: null,
      durationMs: 40,
    },
    failureReason: d.failed ? 'HTTP 500 (one-shot retry policy)' : null,
    createdAt: d.createdAt,
    updatedAt: at,
    finishedAt: at,
    source: { topic: 'platform.licenses', partition: i % 3, offset: String(i) },
  };
}

function seededAttempt(d: SeededDelivery): DeliveryAttemptDocument {
  return {
    _id: attemptIdOf(d.id, 1),
    deliveryId: d.id,
    webhookId: d.webhookId,
    eventId: d.eventId,
    number: 1,
    at: new Date(d.createdAt.getTime() + 40),
    trigger: 'automatic',
    requestedBy: null,
    url: 'https://receiver.example.com/hooks',
    requestHeaders: { 'content-type': 'application/json', 'webhook-id': d.eventId },
    responseStatus: d.responseStatus,
    responseBody: d.failed ? 'internal error' : 'ok',
    durationMs: 40,
    error: d.failed ? 'HTTP 500' : null,
    outcome: d.failed
      ? { status: 'failed', reason: 'HTTP 500 (one-shot retry policy)' }
      : { status: 'succeeded' },
    scheduledAttempts: 1,
    token: 'bench',
    ...timeSlotsOf(d.createdAt),
  };
}

function eventOf(d: SeededDelivery, i: number): PlatformEventDocument {
  return {
    _id: d.eventId,
    type: d.eventType,
    environment: 'production',
    body: JSON.stringify({ id: d.eventId, type: d.eventType, data: { licenseId: i } }),
    webhookIds: [d.webhookId],
    receivedAt: d.createdAt,
    ...timeSlotsOf(d.createdAt),
  };
}
