import type { MessageSource, PlatformEvent } from './platform-event';

/** Where the consumer hands valid platform events: the delivery side. */
export interface PlatformEventSink {
  /** Resolves once the sink can match events (e.g. its webhook index has caught up with the log). */
  whenReady(): Promise<void>;
  /**
   * Takes an event in. Resolves once every delivery it produces is durably recorded (finished, or
   * in the delivery queue): only then is its offset committed. Retries storage failures itself and
   * does not reject, except when the process shuts down.
   */
  accept(event: PlatformEvent, source: MessageSource): Promise<void>;
  /** False while the sink holds as much work in memory as it should: the consumer then waits. */
  hasRoom(): boolean;
  /** Resolves when `hasRoom()` may have become true. */
  whenRoom(): Promise<void>;
}

export const PLATFORM_EVENT_SINK = Symbol('PLATFORM_EVENT_SINK');
