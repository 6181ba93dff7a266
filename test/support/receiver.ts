import {
  createServer as createHttpServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { generate } from 'selfsigned';

/** One request as the receiver got it; `headers` are lower case, as Node gives them. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as sent, for signature checks. */
  rawBody: string;
  receivedAt: Date;
}

/** What to answer; 'hang' never answers (until `close()`), for timeout tests. */
export type ReceiverResponse =
  | {
      status: number;
      headers?: Record<string, string>;
      body?: string | Buffer;
      /** Send the status, headers and body, then never finish the response: a stalled body. */
      stall?: boolean;
      /** Answer this many milliseconds later: a slow receiver. */
      delayMs?: number;
    }
  | 'hang';

export type Responder = (request: ReceivedRequest) => ReceiverResponse;

/**
 * A webhook receiver on 127.0.0.1 and a free port, for int and e2e tests: it records every request,
 * answers as the test says, and lets a test wait for a request without sleeping.
 */
export interface Receiver {
  /** e.g. `https://127.0.0.1:41234`; the certificate is also valid for `localhost`. */
  readonly url: string;
  readonly port: number;
  /** The self-signed certificate (PEM) of an HTTPS receiver, to trust it; undefined for HTTP. */
  readonly caPem: string | undefined;
  /** Every request so far, in arrival order. */
  readonly requests: readonly ReceivedRequest[];
  /** Sets the answer for requests from now on; the default is 200 "ok". */
  respond(responder: Responder): void;
  /**
   * Resolves with the first request, past or future, that matches; rejects after `timeoutMs`.
   * Resolved from the request handler, so no polling.
   */
  waitFor(
    predicate?: (request: ReceivedRequest) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedRequest>;
  /** Stops listening and cuts every connection, hanging requests included. */
  close(): Promise<void>;
}

interface Waiter {
  predicate: (request: ReceivedRequest) => boolean;
  resolve: (request: ReceivedRequest) => void;
}

const OK: Responder = () => ({ status: 200, body: 'ok' });

export async function startReceiver(
  options: {
    https?: boolean;
    /** More names the HTTPS certificate is valid for (besides localhost and 127.0.0.1). */
    hostnames?: string[];
  } = {},
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const waiters = new Set<Waiter>();
  const sockets = new Set<Socket>();
  let responder = OK;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
        receivedAt: new Date(),
      };
      requests.push(request);
      for (const waiter of waiters) {
        if (waiter.predicate(request)) {
          waiters.delete(waiter);
          waiter.resolve(request);
        }
      }
      let answer: ReceiverResponse;
      try {
        answer = responder(request);
      } catch (error) {
        answer = { status: 500, body: `responder threw: ${String(error)}` };
      }
      if (answer === 'hang') return;
      const reply = answer;
      const send = () => {
        res.writeHead(reply.status, reply.headers);
        if (!reply.stall) res.end(reply.body);
        else if (reply.body !== undefined) res.write(reply.body);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  };

  let caPem: string | undefined;
  let server: Server;
  if (options.https) {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            ...(options.hostnames ?? []).map((value) => ({ type: 2 as const, value })),
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    });
    caPem = pems.cert;
    server = createHttpsServer({ key: pems.private, cert: pems.cert }, handle);
  } else {
    server = createHttpServer(handle);
  }
  // Tracked so close() can cut keep-alive and hanging connections, which server.close() waits for.
  // These are the TCP sockets, under TLS for HTTPS: destroying one ends its TLS session too.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  return {
    url: `${options.https ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    caPem,
    requests,
    respond(next) {
      responder = next;
    },
    waitFor(predicate = () => true, timeoutMs = 10_000) {
      const already = requests.find(predicate);
      if (already) return Promise.resolve(already);
      return new Promise<ReceivedRequest>((resolve, reject) => {
        const waiter: Waiter = {
          predicate,
          resolve: (request) => {
            clearTimeout(timer);
            resolve(request);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(`no matching request within ${timeoutMs} ms (${requests.length} received)`),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
