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

/** The part of the HTTP response the versioned routes touch. */
export interface HeaderSettable {
  setHeader(name: string, value: string): unknown;
  status(code: number): unknown;
}

/** Every versioned resource's response carries its version as ETag, for the next If-Match. */
export function withEtag<T extends { version: number }>(response: HeaderSettable, body: T): T {
  response.setHeader('ETag', etagOf(body.version));
  return body;
}
