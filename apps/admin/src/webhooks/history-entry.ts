/**
 * One audit-history entry in words: a title for the event and a line per change. Pure, so the
 * wording of every event type is unit-tested; unknown future types still show their details.
 */
export interface HistoryLine {
  label: string;
  from?: string;
  to: string;
  /** `to` is an ISO time, to be shown in the reader's locale. */
  isTime?: boolean;
}

export interface DescribedEntry {
  title: string;
  lines: HistoryLine[];
}

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  url: 'Target URL',
  environment: 'Environment',
  eventTypes: 'Events',
  description: 'Description',
};

export function describeHistoryEntry(
  type: string,
  details: Record<string, unknown>,
): DescribedEntry {
  switch (type) {
    case 'WebhookCreated':
      return {
        title: 'Created',
        lines: [
          ...['name', 'url', 'environment', 'eventTypes', 'description']
            .filter((field) => details[field] !== undefined && details[field] !== null)
            .map((field) => ({ label: FIELD_LABELS[field], to: show(details[field]) })),
          { label: 'Status', to: details.active === false ? 'Inactive' : 'Active' },
          ...(typeof details.secretHint === 'string'
            ? [{ label: 'Secret', to: details.secretHint }]
            : []),
          ...(details.signatureScheme === 'asymmetric'
            ? [{ label: 'Signature scheme', to: schemeName(details.signatureScheme) }]
            : []),
        ],
      };
    case 'WebhookUpdated':
      return { title: 'Updated', lines: changeLines(details.changes) };
    case 'WebhookActivated':
      return { title: 'Activated', lines: [] };
    case 'WebhookDeactivated': {
      const automatic = details.reason === 'automatic';
      return {
        title: automatic ? 'Paused automatically' : 'Deactivated',
        lines: typeof details.detail === 'string' ? [{ label: 'Reason', to: details.detail }] : [],
      };
    }
    case 'SecretRotated':
      return {
        title: 'Secret rotated',
        lines: [
          {
            label: 'Secret',
            from: show(details.previousSecretHint),
            to: show(details.secretHint),
          },
          {
            label: 'Previous secret valid until',
            to: show(details.previousSecretValidUntil),
            isTime: true,
          },
          ...(details.signatureScheme !== undefined &&
          details.signatureScheme !== details.previousSignatureScheme
            ? [
                {
                  label: 'Signature scheme',
                  from: schemeName(details.previousSignatureScheme),
                  to: schemeName(details.signatureScheme),
                },
              ]
            : []),
        ],
      };
    case 'WebhookDeleted':
      return { title: 'Deleted', lines: [] };
    case 'DeliverySettingsChanged':
      return { title: 'Delivery settings changed', lines: settingsLines(details.changes) };
    // Activity: done with the webhook, which it did not change (no new version).
    case 'SecretRevealed':
      return {
        title: 'Secret revealed',
        lines: [
          {
            label: 'Shown',
            to: details.previousIncluded ? 'Secret and previous secret' : 'Secret',
          },
          ...(details.signatureScheme === 'asymmetric'
            ? [{ label: 'Signature scheme', to: schemeName(details.signatureScheme) }]
            : []),
        ],
      };
    default:
      return {
        title: type,
        lines: Object.entries(details).map(([label, value]) => ({ label, to: show(value) })),
      };
  }
}

function changeLines(changes: unknown): HistoryLine[] {
  if (typeof changes !== 'object' || changes === null) return [];
  return Object.entries(changes as Record<string, { from: unknown; to: unknown }>).map(
    ([field, change]) => {
      const label = FIELD_LABELS[field] ?? field;
      if (field === 'eventTypes' && Array.isArray(change.from) && Array.isArray(change.to)) {
        const before = change.from as string[];
        const after = change.to as string[];
        const added = after.filter((type) => !before.includes(type));
        const removed = before.filter((type) => !after.includes(type));
        const parts = [
          added.length ? `added ${added.join(', ')}` : '',
          removed.length ? `removed ${removed.join(', ')}` : '',
        ].filter(Boolean);
        return { label, to: parts.join('; ') || 'reordered' };
      }
      return { label, from: show(change.from), to: show(change.to) };
    },
  );
}

/** The history holds header names only (values may be credentials): added, removed, changed. */
function settingsLines(changes: unknown): HistoryLine[] {
  if (typeof changes !== 'object' || changes === null) return [];
  const { retryPolicy, rateLimitPerSecond, headers } = changes as Record<string, unknown>;
  const lines: HistoryLine[] = [];
  const change = (value: unknown) => value as { from: unknown; to: unknown };
  if (retryPolicy) {
    lines.push({
      label: 'Retry policy',
      from: policyName(change(retryPolicy).from),
      to: policyName(change(retryPolicy).to),
    });
  }
  if (rateLimitPerSecond) {
    const rate = (value: unknown) => (value === null ? 'No limit' : `${show(value)} per second`);
    lines.push({
      label: 'Rate limit',
      from: rate(change(rateLimitPerSecond).from),
      to: rate(change(rateLimitPerSecond).to),
    });
  }
  if (headers && typeof headers === 'object') {
    const { added = [], removed = [], changed = [] } = headers as Record<string, string[]>;
    const parts = [
      added.length ? `added ${added.join(', ')}` : '',
      removed.length ? `removed ${removed.join(', ')}` : '',
      changed.length ? `changed ${changed.join(', ')}` : '',
    ].filter(Boolean);
    lines.push({ label: 'Custom headers', to: parts.join('; ') || '(none)' });
  }
  return lines;
}

function policyName(policy: unknown): string {
  if (policy === null || policy === undefined) return 'Default';
  const { retryIntervalsSeconds, jitter } = policy as {
    retryIntervalsSeconds: number[];
    jitter: number;
  };
  return `Retries after ${retryIntervalsSeconds.join(', ') || 'none'} s, jitter ${jitter}`;
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The history records the scheme, never key material: `v1` HMAC or `v1a` ed25519. */
function schemeName(scheme: unknown): string {
  if (scheme === 'asymmetric') return 'Asymmetric (ed25519, v1a)';
  if (scheme === 'symmetric' || scheme === undefined) return 'Symmetric (whsec_, v1)';
  return show(scheme);
}
