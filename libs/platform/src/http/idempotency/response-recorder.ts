import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { REPLAYED_HEADERS, type StoredResponse } from './idempotency-record';

/**
 * Calls `beforeEnd` with the response as it is about to be sent in full (status, the headers a
 * replay repeats, the body's bytes; undefined if the body exceeded `maxBodyBytes`) and ends the
 * response only once `beforeEnd` has settled. Recording at `end` catches every way a response is
 * written: a handler's result, a problem from the exception filter, a stream. Holding `end` back
 * until the outcome is stored means a client that got the response and retries at once finds it,
 * not an in-progress record.
 */
export function recordResponse(
  response: ServerResponse,
  maxBodyBytes: number,
  beforeEnd: (recorded: StoredResponse | undefined) => Promise<void>,
): void {
  const write = response.write;
  const end = response.end;
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;

  const keep = (chunk: unknown, encoding: unknown): void => {
    if (tooLarge || chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const bytes =
      chunk instanceof Uint8Array
        ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
        : Buffer.from(
            String(chunk),
            typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
          );
    size += bytes.length;
    if (size > maxBodyBytes) {
      tooLarge = true;
      chunks.length = 0;
    } else {
      // A copy: the caller may reuse its buffer once write returns.
      chunks.push(Buffer.from(bytes));
    }
  };

  response.write = function (this: ServerResponse, ...args: unknown[]) {
    keep(args[0], args[1]);
    return (write as (...all: unknown[]) => boolean).apply(this, args);
  } as ServerResponse['write'];

  response.end = function (this: ServerResponse, ...args: unknown[]) {
    keep(args[0], args[1]);
    response.write = write;
    response.end = end;
    const recorded = tooLarge
      ? undefined
      : {
          status: this.statusCode,
          headers: replayedHeaders(this.getHeaders()),
          body: Buffer.concat(chunks),
        };
    void beforeEnd(recorded)
      .catch(() => undefined)
      .finally(() => (end as (...all: unknown[]) => ServerResponse).apply(this, args));
    return this;
  } as ServerResponse['end'];
}

function replayedHeaders(headers: OutgoingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) kept[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return kept;
}
