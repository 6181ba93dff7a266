import { ENVIRONMENTS, EVENT_TYPES, type Environment, type EventType } from '@app/webhooks';

/**
 * A platform event as services publish it to Kafka (PRODUCT.md part 3, "Platform events in"). The
 * same `id` seen twice is one event. `data` is the producer's and is passed to receivers untouched.
 */
export interface PlatformEvent {
  id: string;
  type: EventType;
  environment: Environment;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** Where a message came from: kept on deliveries and on dead letters for operators. */
export interface MessageSource {
  topic: string;
  partition: number;
  offset: string;
}

export const EVENT_ID_MAX_LENGTH = 200;
export { ENVIRONMENTS, EVENT_TYPES };
