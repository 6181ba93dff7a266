/**
 * The filters of the two lists, read from and written to the page URL, so that a filtered view can
 * be bookmarked and shared. Unknown or malformed values are dropped rather than sent to the API.
 */
const ENVIRONMENTS = ['production', 'staging', 'development'];
const WEBHOOK_STATUSES = ['active', 'inactive'];
const DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed'];

export interface WebhookFilters {
  search: string;
  environment: string;
  status: string;
  /** The page being shown, as the API's cursor; empty for the first page. */
  cursor: string;
}

export interface DeliveryFilters {
  webhookId: string;
  status: string;
  eventType: string;
  cursor: string;
}

export function readWebhookFilters(params: URLSearchParams): WebhookFilters {
  return {
    search: (params.get('search') ?? '').slice(0, 200),
    environment: oneOf(params.get('environment'), ENVIRONMENTS),
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
    cursor: params.get('cursor') ?? '',
  };
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

function oneOf(value: string | null, allowed: readonly string[]): string {
  return value !== null && allowed.includes(value) ? value : '';
}
