import type { FailedDeliveriesFilter } from '../api/types';

/**
 * The filters of the two lists, read from and written to the page URL, so that a filtered view can
 * be bookmarked and shared. Unknown or malformed values are dropped rather than sent to the API.
 * The environment is not among them: it is the page's current environment (environment/).
 */
/** `deleted`: only the deleted webhooks (the API leaves them out otherwise). */
const WEBHOOK_STATUSES = ['active', 'inactive', 'deleted'];
const DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed'];

export interface WebhookFilters {
  search: string;
  status: string;
  /** The page being shown, as the API's cursor; empty for the first page. */
  cursor: string;
}

/** The response classes the deliveries log can be searched by; `none`: no response at all. */
export const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx', 'none'] as const;

export interface DeliveryFilters {
  webhookId: string;
  status: string;
  eventType: string;
  /** The platform event's id: its deliveries to every webhook. */
  eventId: string;
  /** Created at or after (ISO 8601, UTC), inclusive. */
  from: string;
  /** Created before (ISO 8601, UTC), exclusive. */
  to: string;
  /** The last attempt's response: `2xx` … `5xx`, or `none`. */
  statusClass: string;
  cursor: string;
}

export function readWebhookFilters(params: URLSearchParams): WebhookFilters {
  return {
    search: (params.get('search') ?? '').slice(0, 200),
    status: oneOf(params.get('status'), WEBHOOK_STATUSES),
    cursor: params.get('cursor') ?? '',
  };
}

export function readDeliveryFilters(params: URLSearchParams): DeliveryFilters {
  const eventType = params.get('eventType') ?? '';
  return {
    webhookId: (params.get('webhookId') ?? '').slice(0, 100),
    status: oneOf(params.get('status'), DELIVERY_STATUSES),
    eventType: /^[a-z]+\.[a-z_]+$/.test(eventType) ? eventType : '',
    eventId: (params.get('eventId') ?? '').trim().slice(0, 200),
    from: isoTime(params.get('from')),
    to: isoTime(params.get('to')),
    statusClass: oneOf(params.get('statusClass'), STATUS_CLASSES),
    cursor: params.get('cursor') ?? '',
  };
}

/**
 * The log's filters as POST /deliveries/retry's `filter`: the same set, less the status (only
 * failed deliveries are retried), with the current environment; empty values left out. The
 * values were checked when read from the address (readDeliveryFilters).
 */
export function failedDeliveriesFilter(
  filters: DeliveryFilters,
  environment: string | undefined,
): FailedDeliveriesFilter {
  const filter: Record<string, string | undefined> = {
    webhookId: filters.webhookId,
    eventType: filters.eventType,
    environment,
    eventId: filters.eventId,
    from: filters.from,
    to: filters.to,
    statusClass: filters.statusClass,
  };
  return Object.fromEntries(
    Object.entries(filter).filter(([, value]) => value !== undefined && value !== ''),
  );
}

/**
 * The URL query for filters: empty values are left out so the URL stays short. Changing a filter
 * starts again at the first page, so callers pass `cursor: ''` with any other change.
 */
export function filterParams(filters: object): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (typeof value === 'string' && value !== '') params.set(name, value);
  }
  return params;
}

/** A time the API accepts (strict ISO 8601), normalised to UTC; anything else is dropped. */
function isoTime(value: string | null): string {
  if (!value || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return '';
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? '' : time.toISOString();
}

function oneOf(value: string | null, allowed: readonly string[]): string {
  return value !== null && allowed.includes(value) ? value : '';
}
