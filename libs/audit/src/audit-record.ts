import type { StoredEvent } from '@app/event-store';

/** What an audited action was about: a webhook (its own or its activity stream) or a setting. */
export interface AuditSubject {
  kind: 'webhook' | 'settings';
  id: string;
}

/** One audited action, as `GET /audit` lists it. */
export interface AuditEntry {
  position: number;
  at: string;
  type: string;
  actor: string;
  correlationId: string;
  subject: AuditSubject;
  /** The event's data without its subject's id and without anything secret. */
  details: Record<string, unknown>;
}

/**
 * How one library's events read in the audit: the subject of an event of its streams and what it
 * says, secrets left out; null for an event that is not its own. Each library that owns streams
 * gives one (the webhooks, the retry policy), so the audit knows no stream id and no event shape.
 */
export type AuditDescriber = (
  event: StoredEvent,
) => { subject: AuditSubject; details: Record<string, unknown> } | null;
