import { RetryPolicyValidationError, validateRetryPolicy } from '@app/retry-policy';
import { type FieldViolation, WebhookValidationError } from './webhook.errors';

/**
 * A webhook's own retry policy: the same shape, and the same rules (libs/retry-policy's
 * validateRetryPolicy), as the default one set with `PUT /settings/retry-policy`.
 */
export interface WebhookRetryPolicy {
  retryIntervalsSeconds: number[];
  jitter: number;
}

/** How this webhook's deliveries are made, where it differs from everyone's defaults. */
export interface DeliverySettings {
  /** Null: the default retry policy (whatever it is when a retry is scheduled). */
  retryPolicy: WebhookRetryPolicy | null;
  /** Requests per second to this webhook over every worker together; null for no cap. */
  rateLimitPerSecond: number | null;
  /**
   * Extra request headers, names lower-cased (HTTP names are case-insensitive), sorted by name so
   * that the same headers always compare equal. Sent after ours, never replacing them.
   */
  headers: Record<string, string>;
}

export const DEFAULT_DELIVERY_SETTINGS: Readonly<DeliverySettings> = Object.freeze({
  retryPolicy: null,
  rateLimitPerSecond: null,
  headers: Object.freeze({}) as Record<string, string>,
});

/** The settings as a caller submits them: untrusted; absent fields stay as they are. */
export interface DeliverySettingsInput {
  retryPolicy?: { retryIntervalsSeconds: readonly number[]; jitter: number } | null;
  rateLimitPerSecond?: number | null;
  headers?: Readonly<Record<string, string>>;
}

export const RATE_LIMIT_MAX_PER_SECOND = 10_000;
export const MAX_CUSTOM_HEADERS = 20;
export const HEADER_NAME_MAX_LENGTH = 100;
export const HEADER_VALUE_MAX_LENGTH = 1000;

/**
 * Header names a webhook may not set, lower case. Ours: the Standard Webhooks signature headers
 * and their `x-webhook-*` copies (any name under these prefixes is refused, so a receiver can
 * trust every `webhook-*` header it gets), `content-type` and `user-agent`. The transport's:
 * the message framing (`content-length`, `transfer-encoding`, `content-encoding`), `host`, the
 * hop-by-hop headers of RFC 9110 §7.6.1 and their older relatives, and `expect`, which would
 * change how the request is sent.
 */
export const REFUSED_HEADER_NAMES: readonly string[] = Object.freeze([
  'host',
  'content-length',
  'content-type',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'user-agent',
]);
export const REFUSED_HEADER_PREFIXES: readonly string[] = Object.freeze(['webhook-', 'x-webhook-']);

/** RFC 9110 §5.6.2 `token`: the characters a field name may have. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** CR, LF and NUL would split or cut the request; the other controls but tab are refused too. */
const hasForbiddenCharacter = (value: string): boolean =>
  [...value].some((char) => {
    const code = char.codePointAt(0) ?? 0;
    return (code < 0x20 && code !== 0x09) || code === 0x7f;
  });

/** Why a header name cannot be set, or null when it can. */
export function refusedHeaderReason(name: string): string | null {
  const lower = name.toLowerCase();
  if (REFUSED_HEADER_NAMES.includes(lower)) return `"${name}" is set by the platform`;
  if (REFUSED_HEADER_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
    return `"${name}" is reserved for the signature headers (${REFUSED_HEADER_PREFIXES.map((p) => `${p}*`).join(', ')})`;
  }
  return null;
}

/** The canonical form of every setting present in `input`; throws one error listing every violation. */
export function validateDeliverySettings(input: DeliverySettingsInput): Partial<DeliverySettings> {
  const violations: FieldViolation[] = [];
  const result: Partial<DeliverySettings> = {};
  if (input.retryPolicy !== undefined) {
    const policy = checkRetryPolicy(input.retryPolicy, violations);
    if (policy !== undefined) result.retryPolicy = policy;
  }
  if (input.rateLimitPerSecond !== undefined) {
    const limit: unknown = input.rateLimitPerSecond;
    if (
      limit === null ||
      (typeof limit === 'number' &&
        Number.isInteger(limit) &&
        limit >= 1 &&
        limit <= RATE_LIMIT_MAX_PER_SECOND)
    ) {
      result.rateLimitPerSecond = limit;
    } else {
      violations.push({
        field: 'rateLimitPerSecond',
        message: `must be a whole number of requests per second from 1 to ${RATE_LIMIT_MAX_PER_SECOND}, or null for no cap`,
      });
    }
  }
  if (input.headers !== undefined) {
    const headers = checkHeaders(input.headers, violations);
    if (headers) result.headers = headers;
  }
  if (violations.length > 0) throw new WebhookValidationError(violations);
  return result;
}

/** The default policy's own rules, its fields reported under `retryPolicy.`. */
function checkRetryPolicy(
  input: DeliverySettingsInput['retryPolicy'],
  violations: FieldViolation[],
): WebhookRetryPolicy | null | undefined {
  if (input === null) return null;
  if (typeof input !== 'object' || input === undefined) {
    violations.push({
      field: 'retryPolicy',
      message: 'must be a retry policy, or null for the default',
    });
    return undefined;
  }
  try {
    return validateRetryPolicy(input);
  } catch (error) {
    if (!(error instanceof RetryPolicyValidationError)) throw error;
    for (const { field, message } of error.fields) {
      violations.push({ field: `retryPolicy.${field}`, message });
    }
    return undefined;
  }
}

function checkHeaders(
  input: Readonly<Record<string, string>>,
  violations: FieldViolation[],
): Record<string, string> | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    violations.push({ field: 'headers', message: 'must be an object of header names to values' });
    return undefined;
  }
  const entries = Object.entries(input);
  const before = violations.length;
  if (entries.length > MAX_CUSTOM_HEADERS) {
    violations.push({
      field: 'headers',
      message: `must have at most ${MAX_CUSTOM_HEADERS} headers, has ${entries.length}`,
    });
  }
  const seen = new Set<string>();
  const headers: [string, string][] = [];
  for (const [name, value] of entries) {
    // Violations name the header, never its value: values may be credentials.
    const field = `headers.${name}`;
    if (name.length === 0 || name.length > HEADER_NAME_MAX_LENGTH || !TOKEN.test(name)) {
      violations.push({
        field,
        message: `"${name}" is not a header name (RFC 9110 token characters, 1 to ${HEADER_NAME_MAX_LENGTH})`,
      });
      continue;
    }
    const refused = refusedHeaderReason(name);
    if (refused) {
      violations.push({ field, message: `${refused} and cannot be set` });
      continue;
    }
    const lower = name.toLowerCase();
    if (seen.has(lower)) {
      violations.push({ field, message: `"${name}" is given twice (names are case-insensitive)` });
      continue;
    }
    seen.add(lower);
    if (typeof value !== 'string') {
      violations.push({ field, message: 'the value must be a string' });
      continue;
    }
    const trimmed = value.trim();
    if (trimmed.length > HEADER_VALUE_MAX_LENGTH) {
      violations.push({
        field,
        message: `the value must be at most ${HEADER_VALUE_MAX_LENGTH} characters`,
      });
    } else if (hasForbiddenCharacter(trimmed)) {
      violations.push({
        field,
        message: 'the value must not contain CR, LF, NUL or other control characters',
      });
    } else {
      headers.push([lower, trimmed]);
    }
  }
  if (violations.length > before) return undefined;
  headers.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(headers);
}

export function sameDeliverySetting<K extends keyof DeliverySettings>(
  key: K,
  a: DeliverySettings[K],
  b: DeliverySettings[K],
): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Canonical values (sorted headers, copied policies) compare by their JSON. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value) ?? 'undefined';
}

/** Names added, removed and changed between two header sets: what the history shows of them. */
export function headerNamesChanged(
  from: Readonly<Record<string, string>>,
  to: Readonly<Record<string, string>>,
): { added: string[]; removed: string[]; changed: string[] } {
  const added = Object.keys(to).filter((name) => !Object.hasOwn(from, name));
  const removed = Object.keys(from).filter((name) => !Object.hasOwn(to, name));
  const changed = Object.keys(to).filter(
    (name) => Object.hasOwn(from, name) && from[name] !== to[name],
  );
  return { added, removed, changed };
}
