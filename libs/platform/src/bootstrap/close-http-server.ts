import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** How often idle keep-alive connections are looked for again while requests finish. */
const IDLE_SWEEP_MS = 100;

/**
 * Stops accepting connections and resolves once the requests in flight have been answered (or at
 * `deadline`, when the rest are cut). Keep-alive connections are closed as soon as they are idle,
 * so a client that keeps one open does not hold the process up, and every response from now on says
 * `Connection: close`, so clients stop sending on the connections that are still busy.
 */
export function closeHttpServer(server: Server, deadline: number): Promise<void> {
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    if (!response.headersSent) response.setHeader('connection', 'close');
  });
  return new Promise((resolve) => {
    const finish = () => {
      clearInterval(sweep);
      clearTimeout(cutOff);
      resolve();
    };
    server.close(() => finish());
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const cutOff = setTimeout(
      () => {
        server.closeAllConnections();
        finish();
      },
      Math.max(0, deadline - Date.now()),
    );
    server.closeIdleConnections();
  });
}
