import type { StoredEvent } from '@app/event-store';
import type { AuditDescriber } from './audit-record';
import { decodeAuditCursor, encodeAuditCursor, InvalidAuditCursorError } from './audit.cursor';
import { auditRecordOf } from './audit.projection';
import { rootOf, slotEntriesFor } from './audit-slots';

const at = new Date('2026-05-01T10:42:30.000Z');
const MINUTE = Math.floor(at.getTime() / 60_000);

function stored(streamId: string, type: string, data: unknown): StoredEvent {
  return {
    id: 'event-1',
    streamId,
    type,
    schemaVersion: 1,
    version: 1,
    position: 7000,
    recordedAt: at,
    data,
    metadata: { actor: 'user:alice', correlationId: 'corr-1', causationId: 'cause' },
  };
}

const thingsOnly: AuditDescriber = (event) =>
  event.streamId.startsWith('thing-')
    ? { subject: { kind: 'webhook', id: event.streamId.slice(6) }, details: { said: 'yes' } }
    : null;
const settingsOnly: AuditDescriber = (event) =>
  event.streamId === 'settings-x' ? { subject: { kind: 'settings', id: 'x' }, details: {} } : null;

describe('the audit record of an event', () => {
  it('is the first describer’s reading, keyed by position, with its minute key in each scope', () => {
    // When
    const record = auditRecordOf(stored('thing-42', 'ThingDone', { secret: 'no' }), [
      settingsOnly,
      thingsOnly,
    ]);

    // Then
    expect(record).toEqual({
      _id: 'e|7000',
      _position: 7000,
      position: 7000,
      at,
      type: 'ThingDone',
      actor: 'user:alice',
      correlationId: 'corr-1',
      subject: { kind: 'webhook', id: '42' },
      details: { said: 'yes' },
      minute: MINUTE,
      byAll: `a|${MINUTE}`,
      byActor: `u:user:alice|${MINUTE}`,
      byType: `t:ThingDone|${MINUTE}`,
      bySubject: `s:webhook:42|${MINUTE}`,
    });
  });

  it('is none for an event no describer claims (a stream the audit does not know)', () => {
    expect(auditRecordOf(stored('elsewhere-1', 'ThingDone', {}), [thingsOnly, settingsOnly])).toBe(
      null,
    );
  });

  it('is listed in the slot directory from the 100 days down to its minute', () => {
    // When
    const entries = slotEntriesFor('a', at.getTime());

    // Then
    expect(entries.map((entry) => [entry.level, entry.parent])).toEqual([
      [0, rootOf('a')],
      [1, entries[0]._id],
      [2, entries[1]._id],
      [3, entries[2]._id],
    ]);
    expect(entries[3]).toMatchObject({ _id: `d|a|3|${MINUTE}`, slot: MINUTE });
  });
});

describe('the audit cursor', () => {
  it('round-trips the place a page ended', () => {
    expect(decodeAuditCursor(encodeAuditCursor({ minute: MINUTE, position: 7000 }))).toEqual({
      minute: MINUTE,
      position: 7000,
    });
  });

  it.each(['', 'not-a-cursor', Buffer.from('{"v":2,"m":1,"p":2}').toString('base64url')])(
    'refuses %j, which this API never gave',
    (cursor) => {
      expect(() => decodeAuditCursor(cursor)).toThrow(InvalidAuditCursorError);
    },
  );
});
