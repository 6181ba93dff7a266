import { LRUCache } from 'lru-cache';
import type { Collection, Document, IndexDescription } from 'mongodb';
import {
  applyOnce,
  type Projection,
  type ProjectionContext,
  type StoredEvent,
} from '@app/event-store';
import { isDuplicateKeyError } from '@app/platform';
import type { AuditDescriber, AuditSubject } from './audit-record';
import {
  minuteKey,
  MINUTE_LEVEL,
  scopeKey,
  SCOPE_FIELDS,
  slotEntriesFor,
  slotOf,
  type AuditScopeKind,
  type AuditSlotEntry,
} from './audit-slots';

export const AUDIT_PROJECTION = 'audit';

/** One audited action in the read model, beside the slot directory's entries (audit-slots.ts). */
export interface AuditRecordDocument {
  /** `e|<position>`: one record per event. */
  _id: string;
  _position: number;
  position: number;
  at: Date;
  type: string;
  actor: string;
  correlationId: string;
  subject: AuditSubject;
  details: Record<string, unknown>;
  /** The minute it falls in, and per scope that minute's key (`<scope>|<minute>`). */
  minute: number;
  byAll: string;
  byActor: string;
  byType: string;
  bySubject: string;
}

/**
 * What the reads select by, all equalities: a directory level by `parent`, a scope's minute by its
 * field. No range and no sort is asked of the database (FerretDB would evaluate them over every
 * row left), so these are all the read model needs.
 */
const AUDIT_INDEXES: IndexDescription[] = [
  { key: { parent: 1 }, name: 'directory' },
  ...Object.values(SCOPE_FIELDS).map((field) => ({ key: { [field]: 1 }, name: field })),
];

export function auditScopes(
  record: Pick<AuditRecordDocument, 'actor' | 'type' | 'subject'>,
): Record<AuditScopeKind, string> {
  return {
    all: scopeKey('all'),
    actor: scopeKey('actor', record.actor),
    type: scopeKey('type', record.type),
    subject: scopeKey('subject', `${record.subject.kind}:${record.subject.id}`),
  };
}

/**
 * The audit read model: every recorded action across the webhooks (their streams and activity
 * streams) and the settings, one record per event, laid out for `GET /audit` (audit.query.ts) to
 * read newest first, a minute at a time, by equality only. The events' libraries say what is
 * audited and how it reads (AuditDescriber); events none of them claims are left out.
 *
 * Idempotent and rebuildable: the directory entries are inserts under their `_id` (a duplicate
 * is one written before, by this run or an earlier one), written before the record, so a slot
 * holding a record is always listed; the record is written through applyOnce, so a replay leaves it
 * as it was. Nothing is ever updated or deleted, so a rebuild gives the same documents.
 */
export class AuditProjection implements Projection {
  readonly name = AUDIT_PROJECTION;
  readonly collectionBase = 'rm_audit';

  /** Directory entries this instance wrote (or found written): each is inserted once per run. */
  private readonly listed = new LRUCache<string, true>({ max: 100_000 });

  constructor(private readonly describers: readonly AuditDescriber[]) {}

  async setup(collection: Collection<Document>): Promise<void> {
    // One index per call: FerretDB 1.24 drops the connection when one createIndexes names several
    // indexes that all exist already (see WebhookListProjection).
    for (const index of AUDIT_INDEXES) await collection.createIndexes([index]);
  }

  async apply(event: StoredEvent, { collection }: ProjectionContext): Promise<void> {
    const record = auditRecordOf(event, this.describers);
    if (!record) return;
    const scopes = auditScopes(record);
    const atMs = record.at.getTime();
    const entries = Object.values(scopes).flatMap((scope) => slotEntriesFor(scope, atMs));
    await Promise.all(entries.map((entry) => this.list(collection, entry)));
    const { _id, _position, ...fields } = record;
    await applyOnce(collection, _id, _position, { $set: fields }, { upsert: true });
  }

  private async list(collection: Collection<Document>, entry: AuditSlotEntry): Promise<void> {
    if (this.listed.has(entry._id)) return;
    try {
      await (collection as unknown as Collection<AuditSlotEntry>).insertOne({ ...entry });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    this.listed.set(entry._id, true);
  }
}

/** The record of an event, or null when no describer claims it (not an audited stream). */
export function auditRecordOf(
  event: StoredEvent,
  describers: readonly AuditDescriber[],
): AuditRecordDocument | null {
  for (const describe of describers) {
    const described = describe(event);
    if (!described) continue;
    const minute = slotOf(MINUTE_LEVEL, event.recordedAt.getTime());
    const base = {
      actor: event.metadata.actor,
      type: event.type,
      subject: described.subject,
    };
    const scopes = auditScopes(base);
    return {
      _id: `e|${event.position}`,
      _position: event.position,
      position: event.position,
      at: event.recordedAt,
      correlationId: event.metadata.correlationId,
      details: described.details,
      ...base,
      minute,
      byAll: minuteKey(scopes.all, minute),
      byActor: minuteKey(scopes.actor, minute),
      byType: minuteKey(scopes.type, minute),
      bySubject: minuteKey(scopes.subject, minute),
    };
  }
  return null;
}
