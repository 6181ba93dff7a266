/**
 * The platform event types a webhook can subscribe to (PRODUCT.md part 1, "Event selection"), grouped and
 * ordered as the admin UI shows them. This is the single source: `GET /event-types` serves it as is, and
 * every other list of event types is derived from it.
 */
export const EVENT_CATALOGUE = [
  {
    group: 'License',
    eventTypes: [
      'license.created',
      'license.updated',
      'license.deleted',
      'license.assigned',
      'license.activated',
      'license.deactivated',
      'license.suspended',
      'license.expired',
      'license.revoked',
    ],
  },
  {
    group: 'Activation',
    eventTypes: ['activation.created', 'activation.deleted', 'activation.failed'],
  },
  {
    group: 'Product',
    eventTypes: ['product.created', 'product.updated', 'product.deleted'],
  },
  {
    group: 'Contract',
    eventTypes: ['contract.created', 'contract.updated', 'contract.deleted', 'contract.suspended'],
  },
  {
    group: 'Telemetry',
    eventTypes: ['telemetry.received', 'telemetry.flagged'],
  },
  {
    // Emitted by the webhooks service itself (the delivery worker), not by a platform service:
    // a webhook paused automatically, a delivery whose retries are exhausted (docs/event-contract.md).
    group: 'Operational',
    eventTypes: ['webhook.paused', 'delivery.failed'],
  },
] as const;

export type EventTypeGroup = (typeof EVENT_CATALOGUE)[number]['group'];

/**
 * A subscribable platform event type. `webhook.test` (sent by `POST /webhooks/:id/test`) is deliberately
 * not one: nobody subscribes to it, it goes to the one webhook under test.
 */
export type EventType = (typeof EVENT_CATALOGUE)[number]['eventTypes'][number];

/** Every event type, flat, in catalogue order (the canonical order for stored subscriptions). */
export const EVENT_TYPES: readonly EventType[] = EVENT_CATALOGUE.flatMap(
  (group) => group.eventTypes,
);

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && KNOWN_EVENT_TYPES.has(value);
}

/** The platform environments an event happens in, and a webhook listens to. */
export const ENVIRONMENTS = ['production', 'staging', 'development'] as const;

export type Environment = (typeof ENVIRONMENTS)[number];

export function isEnvironment(value: unknown): value is Environment {
  return typeof value === 'string' && (ENVIRONMENTS as readonly string[]).includes(value);
}
