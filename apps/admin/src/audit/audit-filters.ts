/**
 * The audit page's filters, read from the page URL (so a view can be shared); malformed values are
 * dropped rather than sent to the API. `type` is a comma-separated list of event types.
 */
export interface AuditFilters {
  actor: string;
  type: string;
  webhookId: string;
  /** At or after (ISO 8601, UTC), inclusive. */
  from: string;
  /** Before (ISO 8601, UTC), exclusive. */
  to: string;
  cursor: string;
}

const TYPE = /^[A-Za-z][A-Za-z0-9.]{0,99}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function readAuditFilters(params: URLSearchParams): AuditFilters {
  const webhookId = params.get('webhookId') ?? '';
  return {
    actor: (params.get('actor') ?? '').trim().slice(0, 200),
    type: typeList(params.get('type') ?? ''),
    webhookId: UUID.test(webhookId) ? webhookId : '',
    from: isoTime(params.get('from')),
    to: isoTime(params.get('to')),
    cursor: (params.get('cursor') ?? '').slice(0, 200),
  };
}

/** `a, b,,c` → `a,b,c`: what the API reads; names that are not event type names are dropped. */
export function typeList(value: string): string {
  return value
    .split(',')
    .map((type) => type.trim())
    .filter((type) => TYPE.test(type))
    .slice(0, 20)
    .join(',');
}

function isoTime(value: string | null): string {
  if (!value || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return '';
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? '' : time.toISOString();
}
