import type { AttemptOutcome, DeliveryAttemptDocument } from './delivery.documents';

/**
 * An attempt as stored in `delivery_attempts`: the fields anything looks an attempt up by at the
 * top level (its id, its delivery and number, its webhook and event, the time slots it is pruned
 * by), and the rest as one JSON text. The embedded FerretDB converts a document field by field,
 * and an attempt as it was (19 fields, the request's headers and the outcome nested) cost it and
 * PostgreSQL about 190 µs per insert, against 75 µs for this shape (measured: 30,000 inserts of
 * either shape in batches of 200); an attempt is written for every delivery, so that was the
 * largest part of what the database spent on one. Nothing queries the details.
 */
export interface StoredAttempt {
  _id: string;
  deliveryId: string;
  webhookId: string;
  eventId: string;
  number: number;
  bySecond: number;
  byTenth: number;
  /** Top level, as rare as it is telling: the second sends of an attempt are found by it. */
  duplicateOf?: number;
  details: string;
}

/** The fields kept at the top level (`duplicateOf` only when set); the rest is the details. */
const LOOK_UP_KEYS = [
  '_id',
  'deliveryId',
  'webhookId',
  'eventId',
  'number',
  'bySecond',
  'byTenth',
  'duplicateOf',
] as const satisfies readonly (keyof StoredAttempt & keyof DeliveryAttemptDocument)[];

type Details = Omit<DeliveryAttemptDocument, (typeof LOOK_UP_KEYS)[number] | 'at' | 'outcome'> & {
  at: string;
  outcome: StoredOutcome;
};

type StoredOutcome =
  Exclude<AttemptOutcome, { status: 'retrying' }> | { status: 'retrying'; nextAttemptAt: string };

export function storedAttempt(attempt: DeliveryAttemptDocument): StoredAttempt {
  const { at, outcome, ...rest } = attempt;
  const details: Record<string, unknown> = {
    ...rest,
    at: at.toISOString(),
    outcome: storedOutcome(outcome),
  };
  const stored: Record<string, unknown> = {};
  for (const key of LOOK_UP_KEYS) {
    if (attempt[key] !== undefined) stored[key] = attempt[key];
    // Left out of the JSON as undefined, not deleted: a delete turns the object into a slow
    // dictionary, and this runs for every attempt (it was 4% of the worker's CPU at 1,000/s).
    details[key] = undefined;
  }
  return { ...stored, details: JSON.stringify(details) } as unknown as StoredAttempt;
}

/** The attempt a stored one holds; one recorded before this shape has every field at the top. */
export function attemptOf(
  stored: StoredAttempt | DeliveryAttemptDocument,
): DeliveryAttemptDocument {
  if (!('details' in stored) || typeof stored.details !== 'string') {
    return stored as DeliveryAttemptDocument;
  }
  const { details, ...keys } = stored;
  const { at, outcome, ...rest } = JSON.parse(details) as Details;
  return { ...keys, ...rest, at: new Date(at), outcome: outcomeOf(outcome) };
}

function storedOutcome(outcome: AttemptOutcome): StoredOutcome {
  return outcome.status === 'retrying'
    ? { status: 'retrying', nextAttemptAt: outcome.nextAttemptAt.toISOString() }
    : outcome;
}

function outcomeOf(outcome: StoredOutcome): AttemptOutcome {
  return outcome.status === 'retrying'
    ? { status: 'retrying', nextAttemptAt: new Date(outcome.nextAttemptAt) }
    : outcome;
}
