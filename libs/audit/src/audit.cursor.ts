/** Where a page of the audit ended: its last entry's minute and position (the walk's order). */
export interface AuditCursor {
  minute: number;
  position: number;
}

export class InvalidAuditCursorError extends Error {
  constructor() {
    super('The cursor is not one this API gave: start again without it.');
  }
}

/** Opaque to clients: base64url of the last entry's place in the newest-first order. */
export function encodeAuditCursor({ minute, position }: AuditCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, m: minute, p: position })).toString('base64url');
}

export function decodeAuditCursor(cursor: string): AuditCursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object') {
      const { v, m, p } = parsed as Record<string, unknown>;
      if (v === 1 && Number.isSafeInteger(m) && Number.isSafeInteger(p)) {
        return { minute: m as number, position: p as number };
      }
    }
  } catch {
    // Not base64url JSON: the same answer as any other cursor this API did not give.
  }
  throw new InvalidAuditCursorError();
}
