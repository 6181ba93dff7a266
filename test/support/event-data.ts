import { EVENT_DATA_SCHEMAS } from '@app/platform-events';

/**
 * A valid `data` for a platform event of `type` (its documented example, a fresh copy), so events the
 * tests publish pass the worker's schema check (PLATFORM_EVENT_VALIDATION=strict). `tag` goes into a
 * string field that is free text, to tell events apart. Unknown types get `{}`.
 */
export function exampleData(type: string, tag?: string): Record<string, unknown> {
  const entry = (EVENT_DATA_SCHEMAS as Record<string, { example: Record<string, unknown> }>)[type];
  if (!entry) return {};
  const data = structuredClone(entry.example);
  if (tag !== undefined) data.tag = tag;
  return data;
}
