import type { Webhook } from '../api/types';

/** One field of a webhook as it was at a history entry, and whether that entry changed it. */
export interface AsOfField {
  label: string;
  value: string;
  /** The value before the entry, when the entry changed this field. */
  before?: string;
}

const LABELS: Record<string, string> = {
  name: 'Name',
  url: 'Target URL',
  environment: 'Environment',
  eventTypes: 'Events',
  description: 'Description',
  status: 'Status',
  deactivationReason: 'Deactivated by',
  secretHint: 'Secret',
  signatureScheme: 'Signature scheme',
};

/** Not what the webhook is: its id and bookkeeping (the version and times are shown apart). */
const SKIPPED = new Set(['id', 'version', 'createdAt', 'updatedAt', 'eventCount', 'publicKey']);

/**
 * The webhook at an entry, field by field (known fields first, in the form's order, then any
 * other field the API returns), each marked when it differs from the version before: what the
 * entry changed. Pure, so the comparison is unit-tested; `before` is null for the first version
 * and for an activity entry (which changes nothing).
 */
export function asOfFields(webhook: Webhook, before: Webhook | null): AsOfField[] {
  const record = webhook as unknown as Record<string, unknown>;
  const previous = before as unknown as Record<string, unknown> | null;
  const keys = [
    ...Object.keys(LABELS).filter((key) => key in record),
    ...Object.keys(record).filter((key) => !(key in LABELS) && !SKIPPED.has(key)),
  ];
  return keys.map((key) => {
    const value = show(record[key]);
    const old = previous ? show(previous[key]) : value;
    return { label: LABELS[key] ?? key, value, ...(old !== value ? { before: old } : {}) };
  });
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
