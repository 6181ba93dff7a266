import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '@app/config';
import { CLOCK, type Clock } from '@app/event-store';
import { DATABASE_CONNECTION } from '@app/platform';
import {
  DELIVERIES_COLLECTION,
  DELIVERY_ATTEMPTS_COLLECTION,
  PLATFORM_EVENTS_COLLECTION,
  type DeliveryAttemptDocument,
  type DeliveryDocument,
  type PlatformEventDocument,
} from '../storage/delivery.documents';
import { webhookFailedScope } from '../storage/delivery-scopes';
import {
  childrenOf,
  DELIVERY_SLOTS_COLLECTION,
  type SlotEntry,
  type SlotScope,
} from '../storage/slot-directory';
import { walkSlots } from '../storage/slot-walk';
import { slotFilter, slotStartMs } from '../storage/time-slots';
import { deliveryOf, type StoredDelivery } from '../storage/stored-delivery';
import { attemptOf, type StoredAttempt } from '../storage/stored-attempt';
import {
  deliveryEqualities,
  listScopeOf,
  type DeliveryListFilter,
} from './application/delivery-list.filter';
import {
  compareListOrder,
  positionBefore,
  positionOf,
  type DeliveryPosition,
} from './application/delivery-position';

const DAY_MS = 86_400_000;
/**
 * The slots of the directory one page reads at most (each one equality query, 8 at a time after
 * the first): a filter that the walked scope matches rarely (a webhook's 4xx among its 2xx) ends
 * a page early with a cursor, rather than reading the whole history in one request.
 */
export const MAX_SLOTS_PER_PAGE = 256;

/** What a bounded read of the list found, and where it resumes when its budget ran out. */
export interface DeliveryScan {
  deliveries: DeliveryDocument[];
  resumeAt: DeliveryPosition | null;
}
/** Records stamped ahead of this process's clock (another process's clock) are still listed. */
const CLOCK_SKEW_MS = DAY_MS;

/**
 * The api's reads of what the workers recorded: delivery summaries (lists, filters), their
 * attempts, and the events' bodies. The api never writes these; it only adds queue entries.
 *
 * Lists walk the directory of the time slots that hold summaries (storage/slot-walk.ts), so a page
 * costs about what it shows, however many deliveries are kept; the walk reaches back as far as
 * retention keeps deliveries (DELIVERY_RETENTION_DAYS, and a day more for the pruner's pace).
 */
@Injectable()
export class DeliveryRepository {
  private readonly deliveries: Collection<StoredDelivery>;
  private readonly attempts: Collection<StoredAttempt>;
  private readonly events: Collection<PlatformEventDocument>;
  private readonly slots: Collection<SlotEntry>;
  private readonly retentionMs: number;
  /**
   * Where the newest records of a list (scope and filters) were found last time: the walk reads
   * the directory along it at once, beside along "now". A quiet scope's newest records may be
   * hours back, and the admin page asks for the same first page every few seconds; a hint that is
   * out of date costs a few directory reads, never a record.
   */
  private readonly heads = new LRUCache<string, number>({ max: 10_000 });

  constructor(
    @Inject(DATABASE_CONNECTION) connection: Connection,
    @Inject(CLOCK) private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.deliveries = connection.collection<StoredDelivery>(DELIVERIES_COLLECTION);
    this.attempts = connection.collection<StoredAttempt>(DELIVERY_ATTEMPTS_COLLECTION);
    this.events = connection.collection<PlatformEventDocument>(PLATFORM_EVENTS_COLLECTION);
    this.slots = connection.collection<SlotEntry>(DELIVERY_SLOTS_COLLECTION);
    this.retentionMs = (config.deliveryRetentionDays + 1) * DAY_MS;
  }

  /**
   * Up to `limit` deliveries matching the filter, newest first, after `after` when given, reading
   * at most `maxSlots` slots of the directory: `resumeAt` is where the list goes on when that
   * budget ran out before `limit` were found (null when the walk ended or the page is full).
   */
  async list(
    filter: DeliveryListFilter,
    after: DeliveryPosition | undefined,
    limit: number,
    maxSlots = MAX_SLOTS_PER_PAGE,
  ): Promise<DeliveryScan> {
    const found: DeliveryDocument[] = [];
    for await (const slot of this.scan(filter, after, maxSlots, limit)) {
      if ('resumeAt' in slot) return { deliveries: found, resumeAt: slot.resumeAt };
      for (const delivery of slot.deliveries) {
        found.push(delivery);
        if (found.length >= limit) return { deliveries: found, resumeAt: null };
      }
    }
    return { deliveries: found, resumeAt: null };
  }

  /**
   * The deliveries matching the filter, newest first, after `after` when given, one slot of the
   * directory at a time, then `{resumeAt}` if `maxSlots` slots were read with more to come: the
   * position the list resumes at. A consumer stops by leaving its loop; one that means to take a
   * page says how many (`wanted`), so a busy scope is not read far ahead of it.
   */
  async *scan(
    filter: DeliveryListFilter,
    after: DeliveryPosition | undefined,
    maxSlots: number,
    wanted?: number,
  ): AsyncGenerator<{ deliveries: DeliveryDocument[] } | { resumeAt: DeliveryPosition }> {
    const now = this.clock.now().getTime();
    const toMs = Math.min(
      filter.to?.getTime() ?? Infinity,
      // A position before a time resumes with what is older; a delivery's, with its millisecond.
      after ? after.createdAt.getTime() + (after.id === '' ? 0 : 1) : Infinity,
      now + CLOCK_SKEW_MS,
    );
    const fromMs = Math.max(filter.from?.getTime() ?? -Infinity, now - this.retentionMs);
    const comesAfter = (stored: StoredDelivery) =>
      !after || compareListOrder(after, positionOf(stored)) < 0;
    const equalities = deliveryEqualities(filter);
    const scope = listScopeOf(filter);
    if (!scope) {
      // One event's deliveries, or work in progress: few enough to read at once.
      const rows = await this.deliveries.find(equalities).toArray();
      yield {
        deliveries: rows
          .filter((row) => row.createdAt.getTime() >= fromMs && row.createdAt.getTime() < toMs)
          .filter(comesAfter)
          .sort((a, b) => compareListOrder(positionOf(a), positionOf(b)))
          .map(deliveryOf),
      };
      return;
    }
    const headKey = `${scope.key}|${JSON.stringify(equalities)}`;
    const head = this.heads.get(headKey);
    const hints = [Math.min(toMs - 1, now), ...(head !== undefined ? [head] : [])];
    const walk = this.walk(scope, equalities, fromMs, toMs, 'newest', hints, wanted);
    let newest: number | undefined;
    let read = 0;
    let last: SlotEntry | undefined;
    try {
      for await (const { entry, records } of walk) {
        if (read >= maxSlots && last) {
          // The budget is spent and the walk has more: everything from the last slot read on is
          // done (newest first), so the list resumes before its start.
          yield { resumeAt: positionBefore(new Date(Math.max(slotStartMs(last), fromMs))) };
          return;
        }
        read++;
        last = entry;
        const deliveries = records.filter(comesAfter).map(deliveryOf);
        newest ??= deliveries[0]?.createdAt.getTime();
        if (deliveries.length > 0) yield { deliveries };
      }
    } finally {
      // The first page's newest record is the list's head (a later page's is not).
      if (!after && !filter.to && newest !== undefined) this.heads.set(headKey, newest);
    }
  }

  async findById(id: string): Promise<DeliveryDocument | null> {
    const stored = await this.deliveries.findOne({ _id: id });
    return stored && deliveryOf(stored);
  }

  /** Every attempt of the delivery, in order (a duplicate send right after the attempt it repeats). */
  async attemptsOf(id: string): Promise<DeliveryAttemptDocument[]> {
    const attempts = (await this.attempts.find({ deliveryId: id }).toArray()).map(attemptOf);
    return attempts.sort((a, b) => a.number - b.number || a.at.getTime() - b.at.getTime());
  }

  /** The request body the event's deliveries send, or null when it is not stored (any more). */
  async bodyOf(eventId: string): Promise<string | null> {
    const event = await this.events.findOne({ _id: eventId }, { projection: { body: 1 } });
    return typeof event?.body === 'string' && event.body !== '' ? event.body : null;
  }

  /**
   * The failed deliveries to one webhook created at or after `since`, oldest first, read slot by
   * slot so a large recovery never holds them all in memory.
   */
  async *failedSince(webhookId: string, since: Date): AsyncIterable<DeliveryDocument> {
    const toMs = this.clock.now().getTime() + CLOCK_SKEW_MS;
    const walk = this.walk(
      webhookFailedScope(webhookId),
      { webhookId, status: 'failed' },
      since.getTime(),
      toMs,
      'oldest',
    );
    for await (const { records } of walk) {
      for (const stored of records) yield deliveryOf(stored);
    }
  }

  private walk(
    scope: SlotScope,
    equalities: Record<string, string>,
    fromMs: number,
    toMs: number,
    order: 'newest' | 'oldest',
    startHintMs?: readonly number[],
    wanted?: number,
  ) {
    const newestFirst = (a: StoredDelivery, b: StoredDelivery) =>
      compareListOrder(positionOf(a), positionOf(b));
    return walkSlots<StoredDelivery>({
      children: (parent) => childrenOf(this.slots, parent),
      scope,
      readSlot: (entry) => this.deliveries.find({ ...equalities, ...slotFilter(entry) }).toArray(),
      fromMs,
      toMs,
      order,
      startHintMs,
      wanted,
      timeOf: (stored) => stored.createdAt.getTime(),
      compare: order === 'newest' ? newestFirst : (a, b) => newestFirst(b, a),
    });
  }
}
