import type { DurableProjection } from '@app/event-store';
import { WEBHOOK_LIST_PROJECTION, WebhookListProjection } from './webhook-list.projection';

/**
 * The durable projections (read models in collections, under durable checkpoints) by name, each
 * with a factory for a fresh instance: what `npm run projections:rebuild -- <name>` can rebuild.
 * In-memory projections (the worker's subscription index) are not listed: they rebuild at every
 * start.
 */
export const DURABLE_PROJECTIONS: Readonly<Record<string, () => DurableProjection>> = {
  [WEBHOOK_LIST_PROJECTION]: () => new WebhookListProjection(),
};

export function durableProjectionNames(): string[] {
  return Object.keys(DURABLE_PROJECTIONS).sort();
}
