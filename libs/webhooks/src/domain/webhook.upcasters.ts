import type { UpcasterDefinition, UpcasterRegistry } from '@app/event-store';

/**
 * Every upcaster of the webhook event types, one per (type, schema version) change. None yet: every
 * type is still at its first version (WEBHOOK_EVENT_SCHEMA_VERSIONS). Raising a version means
 * adding its upcaster here; the modules that read webhook events (the api's and the worker's) and
 * the rebuild command all register this same list, so every reader sees the same shapes.
 */
export const WEBHOOK_UPCASTERS: readonly UpcasterDefinition[] = [];

export function registerWebhookUpcasters(registry: UpcasterRegistry): UpcasterRegistry {
  return registry.registerAll(WEBHOOK_UPCASTERS);
}
