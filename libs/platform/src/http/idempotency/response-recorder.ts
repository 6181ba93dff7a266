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
  // Bound, so they can be put back as they were and still be called as methods.
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;

  const keep = (chunk: unknown, encoding: unknown): void => {
    if (tooLarge) return;
    let bytes: Buffer;
    if (chunk instanceof Uint8Array) {
      bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    } else if (typeof chunk === 'string') {
      bytes = Buffer.from(
        chunk,
        typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
      );
    } else {
      return; // no chunk (end() or end(callback)): Node takes nothing else
    }
    size += bytes.length;
    if (size > maxBodyBytes) {
      tooLarge = true;
      chunks.length = 0;
    } else {
      // A copy: the caller may reuse its buffer once write returns.
      chunks.push(Buffer.from(bytes));
    }
  };

  response.write = function (...args: unknown[]) {
    keep(args[0], args[1]);
    return write(...args);
  } as ServerResponse['write'];

  response.end = function (...args: unknown[]) {
    keep(args[0], args[1]);
    response.write = write as ServerResponse['write'];
    response.end = end as ServerResponse['end'];
    const recorded = tooLarge
      ? undefined
      : {
          status: response.statusCode,
          headers: replayedHeaders(response.getHeaders()),
          body: Buffer.concat(chunks),
        };
    void beforeEnd(recorded)
      .catch(() => undefined)
      .finally(() => end(...args));
    return response;
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
