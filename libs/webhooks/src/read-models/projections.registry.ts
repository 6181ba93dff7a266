import { AUDIT_PROJECTION, AuditProjection, type AuditDescriber } from '@app/audit';
import type { DurableProjection, ProjectionHost, UpcasterDefinition } from '@app/event-store';
import { describeRetryPolicyEventForAudit } from '@app/retry-policy';
import { describeWebhookEventForAudit } from '../activity/webhook-audit';
import { WEBHOOK_UPCASTERS } from '../domain/webhook.upcasters';
import { WEBHOOK_LIST_PROJECTION, WebhookListProjection } from './webhook-list.projection';

/**
 * The projection registry: the one place a durable projection (a read model in a collection,
 * under durable checkpoints) is listed, by name, with a factory for a fresh instance. The api
 * hosts each of them (WebhooksModule, through registerDurableProjections) and
 * `npm run projections:rebuild -- <name>` rebuilds them by these names, so a projection added here
 * is both run and rebuildable. In-memory projections (the api's webhook directory, the worker's
 * subscription index, the retry policy follower) are not listed: they are wired to the services
 * that read them, and rebuild at every start.
 */
export const DURABLE_PROJECTIONS: Readonly<Record<string, () => DurableProjection>> = {
  [WEBHOOK_LIST_PROJECTION]: () => new WebhookListProjection(),
  [AUDIT_PROJECTION]: () => new AuditProjection(AUDIT_DESCRIBERS),
};

/**
 * What the audit (`GET /audit`) records: every aggregate's events, each read by the library that
 * owns them (the webhooks and their activity streams, the retry-policy setting). An aggregate whose
 * actions are to be audited adds its describer here.
 */
export const AUDIT_DESCRIBERS: readonly AuditDescriber[] = [
  describeWebhookEventForAudit,
  describeRetryPolicyEventForAudit,
];

/**
 * Every aggregate's upcasters: what every reader of the event log applies, so that the apps
 * (EventStoreModule.forRoot in the api and the worker) and the rebuild command see each event in
 * the same shape. Today only the webhook's list (WebhookCreated and SecretRotated v1 → v2, the secret
 * store's references); the retry policy's one event type is at its first version and lists none yet. An aggregate
 * that raises a schema version adds its list here, not to a module of its own.
 */
export const EVENT_UPCASTERS: readonly UpcasterDefinition[] = [...WEBHOOK_UPCASTERS];

/** Hosts every durable projection of the registry, each as a fresh instance. */
export function registerDurableProjections(host: ProjectionHost): void {
  for (const create of Object.values(DURABLE_PROJECTIONS)) host.register(create());
}
