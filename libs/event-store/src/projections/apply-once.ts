import type { Collection, Document, UpdateFilter } from 'mongodb';
import { isDuplicateKeyError } from '@app/platform';

/** The field in which read-model documents keep the last global position applied to them. */
export const APPLIED_POSITION = '_position';

/**
 * Applies `update` to the read-model document `id` only if it has not seen `position` yet, so a
 * replayed event changes nothing. Upserts when `upsert` is set (the event creates the document).
 */
export async function applyOnce(
  collection: Collection<Document>,
  id: string,
  position: number,
  update: UpdateFilter<Document>,
  { upsert = false }: { upsert?: boolean } = {},
): Promise<boolean> {
  const callerSet = (update.$set ?? {}) as Document;
  const set: Document = { ...callerSet, [APPLIED_POSITION]: position };
  // Read models key their documents by string ids (stream ids), not ObjectIds.
  const filter: Document = { _id: id, [APPLIED_POSITION]: { $lt: position } };
  try {
    const result = await collection.updateOne(filter, { ...update, $set: set }, { upsert });
    return result.modifiedCount + result.upsertedCount > 0;
  } catch (error) {
    // The upsert met the document already at or past this position: the event was applied before.
    if (upsert && isDuplicateKeyError(error)) return false;
    throw error;
  }
}
