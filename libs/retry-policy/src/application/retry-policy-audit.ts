import type { StoredEvent } from '@app/event-store';
import { RETRY_POLICY_STREAM_ID } from './retry-policy-stream';

/**
 * How the retry policy's events read in the audit (an AuditDescriber of @app/audit): a change of
 * the `retry-policy` setting, with the policy it set (nothing in it is secret). The history route
 * (`GET /settings/retry-policy/history`) adds what it was before. Null for any other stream.
 */
export function describeRetryPolicyEventForAudit(
  event: StoredEvent,
): { subject: { kind: 'settings'; id: string }; details: Record<string, unknown> } | null {
  if (event.streamId !== RETRY_POLICY_STREAM_ID) return null;
  return {
    subject: { kind: 'settings', id: 'retry-policy' },
    details: { ...(event.data as Record<string, unknown>) },
  };
}
