/**
 * The time slots the audit read model is laid out in: 100 days, a day, an hour, a minute, each
 * numbered from the epoch. A record carries, per scope, the key of its minute (`<scope>|<minute>`)
 * as a top-level field, so an equality selects the records of one scope's minute: MongoDB answers
 * it from an index, and FerretDB hands it to PostgreSQL (the only thing it pushes down). The slot
 * directory says which slots of a scope hold records, from the 100 days down, so a walk reads only
 * those: the first level has one entry per 100 days (a few dozen in a decade), each level below at
 * most 100, 24 and 60 children.
 */
export const AUDIT_SLOT_LEVELS = [
  { name: 'hundred-days', widthMs: 100 * 86_400_000 },
  { name: 'day', widthMs: 86_400_000 },
  { name: 'hour', widthMs: 3_600_000 },
  { name: 'minute', widthMs: 60_000 },
] as const;

export const MINUTE_LEVEL = AUDIT_SLOT_LEVELS.length - 1;

export function slotOf(level: number, atMs: number): number {
  return Math.floor(atMs / AUDIT_SLOT_LEVELS[level].widthMs);
}

export function slotStartMs(level: number, slot: number): number {
  return slot * AUDIT_SLOT_LEVELS[level].widthMs;
}

export function slotEndMs(level: number, slot: number): number {
  return (slot + 1) * AUDIT_SLOT_LEVELS[level].widthMs;
}

/**
 * A scope: what a list can be narrowed to by equality. `a`: everything; `u:<actor>`, `t:<type>`,
 * `s:<kind>:<id>` (a subject). Each record is in all four of its scopes.
 */
export type AuditScopeKind = 'all' | 'actor' | 'type' | 'subject';

/** The record field holding a scope's minute key. */
export const SCOPE_FIELDS: Readonly<Record<AuditScopeKind, string>> = {
  all: 'byAll',
  actor: 'byActor',
  type: 'byType',
  subject: 'bySubject',
};

export function scopeKey(kind: AuditScopeKind, value = ''): string {
  switch (kind) {
    case 'all':
      return 'a';
    case 'actor':
      return `u:${value}`;
    case 'type':
      return `t:${value}`;
    case 'subject':
      return `s:${value}`;
  }
}

export function minuteKey(scope: string, minute: number): string {
  return `${scope}|${minute}`;
}

/** A directory entry: slot `slot` of level `level` of a scope holds records. */
export interface AuditSlotEntry {
  /** `d|<scope>|<level>|<slot>`. */
  _id: string;
  /** The entry one level up, or `d|<scope>|root` for the first level. */
  parent: string;
  level: number;
  slot: number;
}

export function rootOf(scope: string): string {
  return `d|${scope}|root`;
}

/** The directory entries that list time `atMs` in a scope, from the first level down to the minute. */
export function slotEntriesFor(scope: string, atMs: number): AuditSlotEntry[] {
  const entries: AuditSlotEntry[] = [];
  let parent = rootOf(scope);
  for (let level = 0; level <= MINUTE_LEVEL; level++) {
    const slot = slotOf(level, atMs);
    const id = `d|${scope}|${level}|${slot}`;
    entries.push({ _id: id, parent, level, slot });
    parent = id;
  }
  return entries;
}
