import type { UpcasterDefinition } from '@app/event-store';

/**
 * Every upcaster of the webhook event types, one per (type, schema version) change. None yet: every
 * type is still at its first version (WEBHOOK_EVENT_SCHEMA_VERSIONS). Raising a version means
 * adding its upcaster here; it reaches every reader through EVENT_UPCASTERS
 * (read-models/projections.registry.ts), which the api, the worker and the rebuild command all use.
 */
export const WEBHOOK_UPCASTERS: readonly UpcasterDefinition[] = [];
