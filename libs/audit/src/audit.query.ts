import type { Collection, Document } from 'mongodb';
import type { AuditEntry } from './audit-record';
import { decodeAuditCursor, encodeAuditCursor, type AuditCursor } from './audit.cursor';
import type { AuditRecordDocument } from './audit.projection';
import {
  minuteKey,
  MINUTE_LEVEL,
  rootOf,
  scopeKey,
  SCOPE_FIELDS,
  slotEndMs,
  slotStartMs,
  type AuditScopeKind,
  type AuditSlotEntry,
} from './audit-slots';

export interface AuditQuery {
  actor?: string;
  /** Any of these event types. */
  types?: readonly string[];
  /** The webhook the action was about (its own events and its activity). */
  webhookId?: string;
  /** The event's time: from (inclusive) to (exclusive). */
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last one. */
  nextCursor: string | null;
}

/** The scope a filter reads, most selective first: the others are checked on what it returns. */
function scopesFor(query: AuditQuery): { kind: AuditScopeKind; scope: string }[] {
  if (query.webhookId) {
    return [{ kind: 'subject', scope: scopeKey('subject', `webhook:${query.webhookId}`) }];
  }
  if (query.actor) return [{ kind: 'actor', scope: scopeKey('actor', query.actor) }];
  if (query.types && query.types.length > 0) {
    // One walk per type, merged: each reads only the minutes that hold its type.
    return [...new Set(query.types)].map((type) => ({
      kind: 'type',
      scope: scopeKey('type', type),
    }));
  }
  return [{ kind: 'all', scope: scopeKey('all') }];
}

/**
 * The audit, newest first (by minute, then position), from the audit read model. Each query is
 * an equality (a directory level by `parent`, a minute of one scope by its key): a page costs
 * the directory entries on its path and the minutes it reads, never the log kept. The filter
 * reads the scope of its most selective part (webhook, else actor, else the types, else all) and
 * checks the rest on the records of each minute read.
 */
export async function readAudit(
  collection: Collection<Document>,
  query: AuditQuery,
): Promise<AuditPage> {
  const after = query.cursor ? decodeAuditCursor(query.cursor) : undefined;
  const fromMs = query.from?.getTime() ?? 0;
  let toMs = query.to?.getTime() ?? Number.MAX_SAFE_INTEGER;
  if (after) toMs = Math.min(toMs, slotEndMs(MINUTE_LEVEL, after.minute));
  const range = { fromMs, toMs, after };
  const walks = scopesFor(query).map(({ kind, scope }) =>
    walkScope(collection, kind, scope, range),
  );
  const matches = matcher(query);
  const found: AuditRecordDocument[] = [];
  for await (const record of mergeNewestFirst(walks)) {
    if (!matches(record)) continue;
    found.push(record);
    if (found.length > query.limit) break;
  }
  const shown = found.slice(0, query.limit);
  const last = shown.at(-1);
  return {
    items: shown.map(entryOf),
    nextCursor:
      found.length > query.limit && last
        ? encodeAuditCursor({ minute: last.minute, position: last.position })
        : null,
  };
}

function matcher(query: AuditQuery): (record: AuditRecordDocument) => boolean {
  const types = query.types && query.types.length > 0 ? new Set(query.types) : undefined;
  return (record) =>
    (!query.actor || record.actor === query.actor) &&
    (!types || types.has(record.type)) &&
    (!query.webhookId ||
      (record.subject.kind === 'webhook' && record.subject.id === query.webhookId));
}

function entryOf(record: AuditRecordDocument): AuditEntry {
  return {
    position: record.position,
    at: record.at.toISOString(),
    type: record.type,
    actor: record.actor,
    correlationId: record.correlationId,
    subject: { kind: record.subject.kind, id: record.subject.id },
    details: record.details,
  };
}

interface WalkRange {
  fromMs: number;
  toMs: number;
  after?: AuditCursor;
}

/** Newest first: later minute, then higher position. */
function newerFirst(a: AuditRecordDocument, b: AuditRecordDocument): number {
  return b.minute - a.minute || b.position - a.position;
}

/**
 * One scope's records in the range, newest first: the minutes the directory lists (newest first),
 * read a window at a time (one, then 8 at once: a sparse scope spreads a page over many minutes).
 */
async function* walkScope(
  collection: Collection<Document>,
  kind: AuditScopeKind,
  scope: string,
  range: WalkRange,
): AsyncGenerator<AuditRecordDocument> {
  const field = SCOPE_FIELDS[kind];
  const read = (minute: AuditSlotEntry) =>
    collection
      .find({ [field]: minuteKey(scope, minute.slot) })
      .toArray()
      .then((records) => records as unknown as AuditRecordDocument[]);
  const minutes = minutesNewestFirst(collection, rootOf(scope), range);
  try {
    let size = 1;
    for (;;) {
      const window: Promise<AuditRecordDocument[]>[] = [];
      while (window.length < size) {
        const next = await minutes.next();
        if (next.done) break;
        const records = read(next.value);
        // A read ahead of a consumer that stops early is left unread: never an unhandled rejection.
        records.catch(() => undefined);
        window.push(records);
      }
      for (const records of window) {
        yield* (await records).filter((record) => inRange(record, range)).sort(newerFirst);
      }
      if (window.length < size) return;
      size = 8;
    }
  } finally {
    await minutes.return(undefined);
  }
}

function inRange(record: AuditRecordDocument, { fromMs, toMs, after }: WalkRange): boolean {
  const at = record.at.getTime();
  if (at < fromMs || at >= toMs) return false;
  return !after || record.minute < after.minute || record.position < after.position;
}

/** The directory's minute entries under `parent` that overlap the range, newest first, depth first. */
async function* minutesNewestFirst(
  collection: Collection<Document>,
  parent: string,
  range: WalkRange,
): AsyncGenerator<AuditSlotEntry> {
  const children = (await collection.find({ parent }).toArray()) as unknown as AuditSlotEntry[];
  const inside = children
    .filter(
      (entry) =>
        slotStartMs(entry.level, entry.slot) < range.toMs &&
        slotEndMs(entry.level, entry.slot) > range.fromMs,
    )
    .sort((a, b) => b.slot - a.slot);
  for (const entry of inside) {
    if (entry.level === MINUTE_LEVEL) yield entry;
    else yield* minutesNewestFirst(collection, entry._id, range);
  }
}

/** Several walks of disjoint records merged into one newest-first sequence. */
async function* mergeNewestFirst(
  walks: AsyncGenerator<AuditRecordDocument>[],
): AsyncGenerator<AuditRecordDocument> {
  if (walks.length === 1) {
    yield* walks[0];
    return;
  }
  try {
    const heads = await Promise.all(walks.map((walk) => walk.next()));
    for (;;) {
      let newest = -1;
      for (const [index, head] of heads.entries()) {
        if (head.done) continue;
        if (newest < 0 || newerFirst(head.value, heads[newest].value as AuditRecordDocument) < 0) {
          newest = index;
        }
      }
      if (newest < 0) return;
      yield heads[newest].value as AuditRecordDocument;
      heads[newest] = await walks[newest].next();
    }
  } finally {
    await Promise.all(walks.map((walk) => walk.return(undefined)));
  }
}
