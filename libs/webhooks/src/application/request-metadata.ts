import type { EventMetadata } from '@app/event-store';

/** Who asks and in which request chain: becomes the metadata of every event the command causes. */
export interface RequestMetadata {
  actor: string;
  correlationId: string;
  causationId: string;
}

export function eventMetadata(request: RequestMetadata): EventMetadata {
  return { ...request };
}

/** `If-Match` is malformed: neither `*` nor a quoted stream version like `"3"`. */
export class InvalidIfMatchError extends Error {
  override readonly name = 'InvalidIfMatchError';
}

/**
 * The version an `If-Match` header asks for: a number, or undefined for no precondition (`*` or
 * no header). ETags are the stream version in quotes; a weak `W/` prefix is accepted.
 */
export function expectedVersionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '' || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(header);
  if (!match)
    throw new InvalidIfMatchError(`If-Match must be "*" or an ETag like "3", got ${header}`);
  return Number(match[1]);
}

export function etagOf(version: number): string {
  return `"${version}"`;
}
