import { etagOf } from '../application/request-metadata';

/** The part of the HTTP response the webhook routes touch. */
export interface HeaderSettable {
  setHeader(name: string, value: string): unknown;
  status(code: number): unknown;
}

/** Every webhook response carries its version as ETag, for the next request's If-Match. */
export function withEtag<T extends { version: number }>(response: HeaderSettable, body: T): T {
  response.setHeader('ETag', etagOf(body.version));
  return body;
}
