import type { StoredEvent } from '@app/event-store';
import { headerNamesChanged } from '../domain/delivery-settings';

/**
 * One entry of a webhook's audit history: what happened, when, by whom; never a secret. Entries
 * come from the webhook's own stream (`source: 'webhook'`: what it is) and its activity stream
 * (`source: 'activity'`: what was done with it, e.g. a secret reveal or a manual retry), in the
 * global order of the log (`position`).
 */
export interface HistoryEntry {
  type: string;
  /**
   * The webhook's version this entry is at: for its own events their stream version, for an
   * activity entry the version the webhook had when it was recorded (what `?version=` shows).
   */
  version: number;
  position: number;
  at: string;
  actor: string;
  correlationId: string;
  source: 'webhook' | 'activity';
  details: Record<string, unknown>;
}

/**
 * Fields of stored event data that hold secret material or where it is kept, in any event type and
 * schema version (v1 ciphertexts inline, v2 references to the secret store).
 */
const SECRET_FIELDS = new Set([
  'encryptedSecret',
  'previousEncryptedSecret',
  'secret',
  'previousSecret',
]);

/**
 * Public keys are no secret (the webhook's view shows the current one), but the history says only
 * that the scheme changed (`signatureScheme`, `previousSignatureScheme`) and the hints: no key material.
 */
const KEY_FIELDS = new Set(['publicKey', 'previousPublicKey']);

/** The id fields every entry of one webhook repeats: its subject, not a detail. */
const SUBJECT_FIELDS = new Set(['id', 'webhookId']);

/**
 * What an event says, as an auditor may read it: its data without the webhook's id and without
 * any secret, secret reference or key material, whatever its type (activity events of other
 * libraries included: a field named like a secret is dropped wherever it is, nested ones too).
 */
export function historyDetails(event: Pick<StoredEvent, 'data'>): Record<string, unknown> {
  const data = (event.data ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(data)
      .filter(([field]) => !SUBJECT_FIELDS.has(field))
      .map(([field, value]) => [field, withoutSecrets(value)] as const)
      .filter(([field]) => !SECRET_FIELDS.has(field) && !KEY_FIELDS.has(field)),
  );
}

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([field]) => !SECRET_FIELDS.has(field) && !KEY_FIELDS.has(field))
      .map(([field, inner]) => [
        field,
        field === 'headers' ? headerNamesOnly(inner) : withoutSecrets(inner),
      ]),
  );
}

/**
 * A webhook's custom request headers may carry credentials (say `authorization`): the history
 * says which names were added, removed or changed (DeliverySettingsChanged), never a value.
 */
function headerNamesOnly(value: unknown): unknown {
  const isHeaders = (v: unknown): v is Record<string, string> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isHeaders(value) && isHeaders(value.from) && isHeaders(value.to)) {
    return headerNamesChanged(value.from, value.to);
  }
  return isHeaders(value) ? { names: Object.keys(value) } : null;
}

export function historyEntry(
  event: StoredEvent,
  source: HistoryEntry['source'] = 'webhook',
  version = event.version,
): HistoryEntry {
  return {
    type: event.type,
    version,
    position: event.position,
    at: event.recordedAt.toISOString(),
    actor: event.metadata.actor,
    correlationId: event.metadata.correlationId,
    source,
    details: historyDetails(event),
  };
}

/**
 * The smallest position an event can have: its commit's sequence (from 1) times 1,000. So no
 * position lies in 1..999, and an `after` there can only be a stream version, as `after` was
 * before the history held activity entries.
 */
export const FIRST_POSITION = 1000;

export interface HistoryPageOf {
  items: HistoryEntry[];
  nextAfter: number | null;
}

/**
 * A page of a webhook's history: its own events and its activity merged in global order, the
 * entries after `after`, at most `limit`. `after` is a position (what `nextAfter` gives); a value
 * below FIRST_POSITION is a stream version (clients of the contract before activity entries):
 * the entries after the webhook's own event of that version. Pure, so the paging rule is tested
 * without a database.
 */
export function historyPage(
  own: readonly StoredEvent[],
  activity: readonly StoredEvent[],
  after: number,
  limit: number,
): HistoryPageOf {
  const from = afterPosition(own, after);
  const entries: HistoryEntry[] = [];
  const merged = [
    ...own.map((event) => ({ event, source: 'webhook' as const })),
    ...activity.map((event) => ({ event, source: 'activity' as const })),
  ].sort((a, b) => a.event.position - b.event.position);
  let version = 0;
  let more = false;
  for (const { event, source } of merged) {
    if (source === 'webhook') version = event.version;
    if (event.position <= from) continue;
    if (entries.length === limit) {
      more = true;
      break;
    }
    entries.push(historyEntry(event, source, version));
  }
  return { items: entries, nextAfter: more ? (entries.at(-1)?.position ?? null) : null };
}

function afterPosition(own: readonly StoredEvent[], after: number): number {
  if (after <= 0 || after >= FIRST_POSITION) return Math.max(after, 0);
  const event = own.find((candidate) => candidate.version === after);
  // A version past the last one: nothing after it, as before.
  return event ? event.position : Number.POSITIVE_INFINITY;
}
