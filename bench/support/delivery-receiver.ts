import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** What the receiver notes of each request: enough to match it to an (event, webhook) pair. */
export interface Receipt {
  /** The `webhook-id` header: the event id. */
  webhookId: string;
  /** The request path: one per webhook. */
  path: string;
  /** performance.now() when the request's headers arrived. */
  atMs: number;
}

export interface DeliveryReceiver {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** One base URL per receiving host (`http://127.0.0.<n>:<port>`), the first being `url`. */
  urls: string[];
  /** Connections opened so far (keep-alive: should stay near the worker's concurrency). */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A plain HTTP receiver that answers every request 204 at once, with keep-alive, and hands each
 * request to `onReceipt` as soon as its headers are in. It does no work of its own (no signature
 * checks, no body parsing) so that it is never what a benchmark measures.
 *
 * It listens on `hosts` loopback addresses (127.0.0.1, 127.0.0.2, ...: Linux routes all of
 * 127.0.0.0/8 to the loopback interface), so webhooks can be spread over several receiving hosts
 * as they are in production, each with its own per-host concurrency in the worker.
 */
export async function startDeliveryReceiver(
  onReceipt: (receipt: Receipt) => void,
  hosts = 1,
): Promise<DeliveryReceiver> {
  let opened = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    const atMs = performance.now();
    const header = request.headers['webhook-id'];
    onReceipt({
      webhookId: Array.isArray(header) ? header[0] : (header ?? ''),
      path: request.url ?? '',
      atMs,
    });
    // Drain the (small) body so the connection can carry the next request.
    request.resume();
    response.writeHead(204);
    response.end();
  });
  // Longer than any idle gap of the run, so the worker's agent (which drops idle sockets after
  // 4 s) closes first and never picks a socket this side just closed.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('connection', (socket: Socket) => {
    opened++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const servers = [server];
  for (let i = 1; i < hosts; i++) {
    const other = createServer(
      server.listeners('request')[0] as Parameters<typeof createServer>[0],
    );
    other.keepAliveTimeout = server.keepAliveTimeout;
    other.headersTimeout = server.headersTimeout;
    for (const listener of server.listeners('connection')) {
      other.on('connection', listener as (socket: Socket) => void);
    }
    servers.push(other);
  }
  const ports = await Promise.all(servers.map((each, i) => listen(each, `127.0.0.${i + 1}`)));
  const urls = ports.map((port, i) => `http://127.0.0.${i + 1}:${port}`);
  return {
    port: ports[0],
    url: urls[0],
    urls,
    connections: () => opened,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(
        servers.map((each) => new Promise<void>((resolve) => each.close(() => resolve()))),
      );
    },
  };
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}
