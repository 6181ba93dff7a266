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
  /** Connections opened so far (keep-alive: should stay near the worker's concurrency). */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A plain HTTP receiver on 127.0.0.1 that answers every request 204 at once, with keep-alive, and
 * hands each request to `onReceipt` as soon as its headers are in. It does no work of its own
 * (no signature checks, no body parsing) so that it is never what a benchmark measures.
 */
export async function startDeliveryReceiver(
  onReceipt: (receipt: Receipt) => void,
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    connections: () => opened,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
