import type { StoredEvent } from '@app/event-store';
import { headerNamesChanged } from '../domain/delivery-settings';

/** One entry of a webhook's audit history: what happened, when, by whom; never a secret. */
export interface HistoryEntry {
  type: string;
  version: number;
  position: number;
  at: string;
  actor: string;
  correlationId: string;
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

export function historyEntry(event: StoredEvent): HistoryEntry {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const details = Object.fromEntries(
    Object.entries(data).filter(
      ([field]) => field !== 'id' && !SECRET_FIELDS.has(field) && !KEY_FIELDS.has(field),
    ),
  );
  const changes = details.changes as { headers?: unknown } | undefined;
  if (changes?.headers !== undefined) {
    details.changes = { ...changes, headers: headerNamesOnly(changes.headers) };
  }
  return {
    type: event.type,
    version: event.version,
    position: event.position,
    at: event.recordedAt.toISOString(),
    actor: event.metadata.actor,
    correlationId: event.metadata.correlationId,
    details,
  };
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
