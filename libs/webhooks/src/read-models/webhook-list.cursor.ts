import type { WebhookListDocument } from './webhook-list.document';

export type WebhookSort = 'name' | 'updatedAt';

/** The cursor is invalid (tampered with, or from another sort order). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/** Where a page ends, in its sort order: the last entry's sort key and id. */
export type ListCursor =
  | { sort: 'name'; nameLower: string; id: string }
  | { sort: 'updatedAt'; updatedAt: Date; id: string };

/** `[sort, key, id]` as base64url JSON: clients pass it back verbatim, so its format is the API's. */
export function encodeCursor(sort: WebhookSort, last: WebhookListDocument): string {
  const key = sort === 'name' ? last.nameLower : last.updatedAt.toISOString();
  return Buffer.from(JSON.stringify([sort, key, last._id])).toString('base64url');
}

/** Reads a cursor this API returned for `sort`; anything else is an InvalidCursorError. */
export function decodeCursor(sort: WebhookSort, cursor: string): ListCursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('The cursor is not one this API returned');
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 3 ||
    decoded[0] !== sort ||
    typeof decoded[1] !== 'string' ||
    typeof decoded[2] !== 'string'
  ) {
    throw new InvalidCursorError('The cursor does not belong to this sort order');
  }
  const [, key, id] = decoded as [string, string, string];
  if (sort === 'name') return { sort, nameLower: key, id };
  const updatedAt = new Date(key);
  if (Number.isNaN(updatedAt.getTime())) throw new InvalidCursorError('The cursor is damaged');
  return { sort, updatedAt, id };
}
