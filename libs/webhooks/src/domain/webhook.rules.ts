import {
  ENVIRONMENTS,
  EVENT_TYPES,
  type Environment,
  type EventType,
  isEnvironment,
  isEventType,
} from './event-catalogue';
import { type FieldViolation, WebhookValidationError } from './webhook.errors';

export const NAME_MAX_LENGTH = 100;
export const URL_MAX_LENGTH = 2048;
export const DESCRIPTION_MAX_LENGTH = 500;
export const SECRET_PREFIX = 'whsec_';
export const SECRET_MIN_BYTES = 24;
export const SECRET_MAX_BYTES = 64;

export interface WebhookRulesContext {
  /** WEBHOOKS_ALLOW_HTTP: plain http:// targets, for local receivers and test rigs only. */
  allowHttp: boolean;
}

/** The editable fields as a caller submits them: untrusted, not yet normalised. */
export interface WebhookFieldsInput {
  name: string;
  url: string;
  environment: string;
  eventTypes: readonly string[];
  /** Absent, null or blank all mean "no description". */
  description?: string | null;
}

/** The editable fields after validation, in the one canonical form that events and state hold. */
export interface WebhookFields {
  name: string;
  url: string;
  environment: Environment;
  /** Deduplicated and in catalogue order, so the same selection always compares equal. */
  eventTypes: EventType[];
  description: string | null;
}

export type FieldCheck<T> = { ok: true; value: T } | { ok: false; message: string };

const valid = <T>(value: T): FieldCheck<T> => ({ ok: true, value });
const invalid = <T>(message: string): FieldCheck<T> => ({ ok: false, message });

const hasWhitespaceOrControl = (text: string): boolean =>
  /\s/.test(text) ||
  [...text].some((char) => {
    const code = char.codePointAt(0) ?? 0;
    return code < 0x20 || code === 0x7f;
  });

/** Length in characters as people count them (code points), so an emoji is not worth two. */
const characterCount = (text: string): number => [...text].length;

export function checkName(name: string): FieldCheck<string> {
  const trimmed = name.trim();
  if (trimmed.length === 0) return invalid('must not be empty');
  if (characterCount(trimmed) > NAME_MAX_LENGTH) {
    return invalid(`must be at most ${NAME_MAX_LENGTH} characters`);
  }
  return valid(trimmed);
}

export function checkUrl(url: string, context: WebhookRulesContext): FieldCheck<string> {
  const trimmed = url.trim();
  if (trimmed.length === 0) return invalid('must not be empty');
  if (trimmed.length > URL_MAX_LENGTH) {
    return invalid(`must be at most ${URL_MAX_LENGTH} characters`);
  }
  // The WHATWG parser silently drops tabs and newlines, so what we would store and what we would call
  // could differ; refuse them instead.
  if (hasWhitespaceOrControl(trimmed)) return invalid('must not contain whitespace');
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return invalid('must be an absolute URL');
  }
  const allowed = context.allowHttp ? ['https:', 'http:'] : ['https:'];
  if (!allowed.includes(parsed.protocol)) {
    return invalid(
      context.allowHttp ? 'must start with https:// or http://' : 'must start with https://',
    );
  }
  // Credentials in the URL would sit in plain text in events, read models and logs.
  if (parsed.username !== '' || parsed.password !== '') {
    return invalid('must not contain a user name or password');
  }
  return valid(trimmed);
}

export function checkEnvironment(environment: string): FieldCheck<Environment> {
  return isEnvironment(environment)
    ? valid(environment)
    : invalid(`must be one of: ${ENVIRONMENTS.join(', ')}`);
}

export function checkEventTypes(eventTypes: readonly string[]): FieldCheck<EventType[]> {
  if (eventTypes.length === 0) return invalid('must list at least one event type');
  const unknown = [...new Set(eventTypes.filter((type) => !isEventType(type)))];
  if (unknown.length > 0) {
    return invalid(
      `unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `"${t}"`).join(', ')}; ` +
        `valid types are: ${EVENT_TYPES.join(', ')}`,
    );
  }
  return valid(EVENT_TYPES.filter((type) => eventTypes.includes(type)));
}

export function checkDescription(
  description: string | null | undefined,
): FieldCheck<string | null> {
  const trimmed = description?.trim() ?? '';
  if (characterCount(trimmed) > DESCRIPTION_MAX_LENGTH) {
    return invalid(`must be at most ${DESCRIPTION_MAX_LENGTH} characters`);
  }
  return valid(trimmed === '' ? null : trimmed);
}

/** The canonical form of every field present in `input`; throws one error listing every violation. */
export function validateWebhookFields(
  input: Partial<WebhookFieldsInput>,
  context: WebhookRulesContext,
): Partial<WebhookFields> {
  const violations: FieldViolation[] = [];
  const result: Partial<WebhookFields> = {};
  const collect = <K extends keyof WebhookFields>(
    field: K,
    check: FieldCheck<WebhookFields[K]>,
  ) => {
    if (check.ok) result[field] = check.value;
    else violations.push({ field, message: check.message });
  };
  if (input.name !== undefined) collect('name', checkName(input.name));
  if (input.url !== undefined) collect('url', checkUrl(input.url, context));
  if (input.environment !== undefined) collect('environment', checkEnvironment(input.environment));
  if (input.eventTypes !== undefined) collect('eventTypes', checkEventTypes(input.eventTypes));
  if (input.description !== undefined) collect('description', checkDescription(input.description));
  if (violations.length > 0) throw new WebhookValidationError(violations);
  return result;
}

/** Like validateWebhookFields, for a new webhook where every required field must be there. */
export function validateNewWebhookFields(
  input: WebhookFieldsInput,
  context: WebhookRulesContext,
): WebhookFields {
  const fields = validateWebhookFields(
    { ...input, description: input.description ?? null },
    context,
  );
  return fields as WebhookFields;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A signing secret as Standard Webhooks defines it: `whsec_` + base64 of the HMAC key. Callers check
 * plaintext with this before encrypting it; the decider itself only ever sees the encrypted form.
 */
export function isValidSecret(secret: string): boolean {
  if (!secret.startsWith(SECRET_PREFIX)) return false;
  const body = secret.slice(SECRET_PREFIX.length);
  if (body.length === 0 || !BASE64.test(body)) return false;
  const padding = body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0;
  const bytes = (body.length / 4) * 3 - padding;
  return bytes >= SECRET_MIN_BYTES && bytes <= SECRET_MAX_BYTES;
}

/** What the UI may show of a secret: enough to tell two apart, far too little to sign with. */
export function secretHintOf(secret: string): string {
  return `${SECRET_PREFIX}…${secret.replace(/=+$/, '').slice(-4)}`;
}
