import { LRUCache } from 'lru-cache';
import type { Collection } from 'mongodb';
import type { PlatformEventDocument } from '../storage/delivery.documents';
import { retryTransient } from '../storage/transient-retry';

/** Request bodies kept in memory at most, by their length; retries of one event share it. */
const CACHE_BYTES = 16 * 1024 * 1024;

/**
 * The request bodies of stored platform events, for attempts made from the queue (retries,
 * manual sends): a body is stored once per event (`platform_events`), not once per delivery, and
 * read back here, cached, because the retries of one event's deliveries to its many webhooks
 * usually come due together.
 */
export class EventBodies {
  private readonly cache = new LRUCache<string, string>({
    maxSize: CACHE_BYTES,
    sizeCalculation: (body) => Math.max(1, body.length),
  });

  constructor(
    private readonly events: Collection<PlatformEventDocument>,
    private readonly signal: AbortSignal,
  ) {}

  /** The body of the event, or null when it is not stored (pruned by retention, or never). */
  async bodyOf(eventId: string): Promise<string | null> {
    const cached = this.cache.get(eventId);
    if (cached !== undefined) return cached;
    const stored = await retryTransient(
      () => this.events.findOne({ _id: eventId }, { projection: { body: 1 } }),
      { what: `reading the body of event ${eventId}`, signal: this.signal },
    );
    if (typeof stored?.body !== 'string') return null;
    this.cache.set(eventId, stored.body);
    return stored.body;
  }
}
