import type { StoredEvent } from '@app/event-store';
import { historyDetails } from '../application/webhook-history';

const WEBHOOK_STREAM_PREFIX = 'webhook-';
const ACTIVITY_STREAM_PREFIX = 'webhook-activity-';

/**
 * How the webhooks' events read in the audit (an AuditDescriber of @app/audit): an event of a
 * webhook's stream or of its activity stream is about that webhook, and says what its history
 * says of it (historyDetails: no secret, no key material). The activity prefix is tested first:
 * it starts with the webhook prefix too. Null for any other stream.
 */
export function describeWebhookEventForAudit(
  event: StoredEvent,
): { subject: { kind: 'webhook'; id: string }; details: Record<string, unknown> } | null {
  const { streamId } = event;
  const id = streamId.startsWith(ACTIVITY_STREAM_PREFIX)
    ? streamId.slice(ACTIVITY_STREAM_PREFIX.length)
    : streamId.startsWith(WEBHOOK_STREAM_PREFIX)
      ? streamId.slice(WEBHOOK_STREAM_PREFIX.length)
      : null;
  if (!id) return null;
  return { subject: { kind: 'webhook', id }, details: historyDetails(event) };
}
