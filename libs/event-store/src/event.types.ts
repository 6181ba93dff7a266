/** Who or what caused an event, and which request chain it belongs to. Carried by every event. */
export interface EventMetadata {
  /** The principal that issued the command: a user id, or `system:<component>` for automatic actions. */
  actor: string;
  /** Shared by every event caused by one original request, across services. */
  correlationId: string;
  /** The id of the message (command, request or event) that directly caused this event. */
  causationId: string;
  [key: string]: unknown;
}

/** An event as a command produces it, before the store assigns versions and positions. */
export interface NewEvent<TType extends string = string, TData = unknown> {
  type: TType;
  data: TData;
  /** The version of this event type's data shape; upcasters raise older ones to the current one. */
  schemaVersion?: number;
  metadata: EventMetadata;
  /** Optional caller-chosen id (idempotent producers); a UUID otherwise. */
  id?: string;
}

/** An event as read back from the store. */
export interface StoredEvent<TType extends string = string, TData = unknown> {
  id: string;
  streamId: string;
  type: TType;
  schemaVersion: number;
  /** 1-based version of the event within its stream. */
  version: number;
  /**
   * The event's place in the store's global order: its commit's sequence * 1000 + its index in the
   * commit. Unique and increasing; not dense (the first event of the first commit is 1000).
   */
  position: number;
  recordedAt: Date;
  data: TData;
  metadata: EventMetadata;
}

/**
 * The version the caller believes the stream is at: a number (0 = the stream must not exist yet),
 * or 'any' to append wherever the stream is.
 */
export type ExpectedVersion = number | 'any';

export interface AppendResult {
  streamId: string;
  /** The stream's version after the append. */
  version: number;
  /** Global position of the first and last appended event. */
  firstPosition: number;
  lastPosition: number;
  events: StoredEvent[];
}

export interface ReadStreamOptions {
  /** Only events with a version >= this. */
  fromVersion?: number;
  /** Only events with a version <= this. */
  toVersion?: number;
  /** Only events recorded at or before this time (as-of reads). */
  asOf?: Date;
}
