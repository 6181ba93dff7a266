import type { MessageSource, PlatformEvent } from './platform-event';

/** Where the consumer hands valid platform events: the delivery side. */
export interface PlatformEventSink {
  /**
   * Resolves once the sink can match and deliver events (e.g. its webhook index and retry policy
   * have caught up with the log): nothing is read before.
   */
  whenReady(): Promise<void>;
  /**
   * Takes an event in (`bytes`: the size of its Kafka value, for the memory budget). Resolves once
   * every delivery it produces is durably recorded (its outcome and what follows it, or parked in
   * the queue): only then is its offset committed. Rejects with UnacceptableEventError when the
   * event can never be taken (it is then dead-lettered with the reason); any other rejection means
   * "not recorded now" (the process is stopping), and the event is read again later.
   */
  accept(event: PlatformEvent, source: MessageSource, bytes: number): Promise<void>;
  /** False while the sink holds as much work in memory as it should: the consumer then waits. */
  hasRoom(): boolean;
  /** Resolves when `hasRoom()` may have become true. */
  whenRoom(): Promise<void>;
}

/** The event itself can never be taken (the database refuses it): dead-letter it, with why. */
export class UnacceptableEventError extends Error {
  override readonly name = 'UnacceptableEventError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

export const PLATFORM_EVENT_SINK = Symbol('PLATFORM_EVENT_SINK');
