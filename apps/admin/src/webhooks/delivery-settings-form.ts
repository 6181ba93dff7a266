/**
 * The "Delivery settings" section of the webhook form: its values and how they become the
 * `retryPolicy`, `rateLimitPerSecond` and `headers` of a request. Free of React for unit tests.
 * The API checks the values (the same rules as the default retry policy); the form only shapes
 * them, so every rule lives in one place.
 */
export interface HeaderRow {
  name: string;
  value: string;
}

export interface DeliverySettingsValues {
  /** `default`: follow the policy of Settings; `custom`: this webhook's own. */
  policy: 'default' | 'custom';
  /** Seconds before each retry, comma separated, e.g. "10, 60, 600". */
  intervals: string;
  jitter: string;
  /** Requests per second; empty for no cap. */
  rateLimit: string;
  headers: HeaderRow[];
}

export interface RetryPolicyLike {
  retryIntervalsSeconds: readonly number[];
  jitter: number;
}

export interface DeliverySettingsLike {
  retryPolicy: RetryPolicyLike | null;
  rateLimitPerSecond: number | null;
  headers: Readonly<Record<string, string>>;
}

export interface DeliverySettingsRequest {
  retryPolicy?: { retryIntervalsSeconds: number[]; jitter: number } | null;
  rateLimitPerSecond?: number | null;
  headers?: Record<string, string>;
}

/**
 * Header names the platform sets itself and a webhook may not (the API refuses them and says
 * why; listed here for the hint): the signature headers and everything under `webhook-` and
 * `x-webhook-`, Content-Type, User-Agent, and the transport's own (Host, Content-Length,
 * Transfer-Encoding, Connection and the other hop-by-hop headers).
 */
export const REFUSED_HEADERS_HINT =
  'Not allowed: webhook-* and x-webhook-* (the signature headers), Host, Content-Type, Content-Length, Content-Encoding, Transfer-Encoding, Connection, Keep-Alive, TE, Trailer, Upgrade, Expect, Proxy-*, User-Agent.';

export function settingsValuesOf(
  webhook: DeliverySettingsLike | null,
  fallbackPolicy: RetryPolicyLike | null = null,
): DeliverySettingsValues {
  const policy = webhook?.retryPolicy ?? fallbackPolicy;
  return {
    policy: webhook?.retryPolicy ? 'custom' : 'default',
    intervals: policy ? policy.retryIntervalsSeconds.join(', ') : '',
    jitter: policy ? String(policy.jitter) : '0.2',
    rateLimit: webhook?.rateLimitPerSecond ? String(webhook.rateLimitPerSecond) : '',
    headers: Object.entries(webhook?.headers ?? {}).map(([name, value]) => ({ name, value })),
  };
}

/** "10, 60 600" → [10, 60, 600]; anything that is not a number stays as NaN for the API to name. */
export function parseIntervals(text: string): number[] {
  return text
    .split(/[\s,]+/)
    .filter((token) => token !== '')
    .map(Number);
}

function policyOf(values: DeliverySettingsValues): DeliverySettingsRequest['retryPolicy'] {
  if (values.policy === 'default') return null;
  return { retryIntervalsSeconds: parseIntervals(values.intervals), jitter: Number(values.jitter) };
}

function rateLimitOf(values: DeliverySettingsValues): number | null {
  return values.rateLimit.trim() === '' ? null : Number(values.rateLimit);
}

/** Rows left empty are dropped; a name keeps the case typed (the API stores it lower case). */
function headersOf(values: DeliverySettingsValues): Record<string, string> {
  return Object.fromEntries(
    values.headers
      .filter((row) => row.name.trim() !== '' || row.value.trim() !== '')
      .map((row) => [row.name.trim(), row.value]),
  );
}

/** For a new webhook: only what differs from the defaults. */
export function createSettingsRequest(values: DeliverySettingsValues): DeliverySettingsRequest {
  const request: DeliverySettingsRequest = {};
  const retryPolicy = policyOf(values);
  if (retryPolicy) request.retryPolicy = retryPolicy;
  const rateLimit = rateLimitOf(values);
  if (rateLimit !== null) request.rateLimitPerSecond = rateLimit;
  const headers = headersOf(values);
  if (Object.keys(headers).length > 0) request.headers = headers;
  return request;
}

/** For an edit: only the settings that changed, so the history shows exactly those. */
export function updateSettingsRequest(
  original: DeliverySettingsLike,
  values: DeliverySettingsValues,
): DeliverySettingsRequest {
  const request: DeliverySettingsRequest = {};
  const retryPolicy = policyOf(values);
  if (JSON.stringify(retryPolicy) !== JSON.stringify(original.retryPolicy ?? null)) {
    request.retryPolicy = retryPolicy;
  }
  const rateLimit = rateLimitOf(values);
  if (rateLimit !== (original.rateLimitPerSecond ?? null)) request.rateLimitPerSecond = rateLimit;
  const headers = headersOf(values);
  if (canonicalHeaders(headers) !== canonicalHeaders(original.headers ?? {})) {
    request.headers = headers;
  }
  return request;
}

/** Names compare case-insensitively, as the API stores them. */
function canonicalHeaders(headers: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.entries(headers)
      .map(([name, value]) => [name.toLowerCase(), value.trim()])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
