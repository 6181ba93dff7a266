import { createServer, request, type Agent, type Server } from 'node:http';
import { Agent as HttpAgent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpServer } from './close-http-server';

/** A server whose answers take `delayMs`. */
async function slowServer(delayMs: number): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => {
    setTimeout(() => res.end('done'), delayMs).unref();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as AddressInfo).port };
}

function get(port: number, agent?: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('closeHttpServer (a real HTTP server on loopback)', () => {
  it('given a request in flight, when closing, then it is answered, new connections are refused, and closing ends after it', async () => {
    const { server, port } = await slowServer(300);
    const inFlight = get(port);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const closing = closeHttpServer(server, Date.now() + 10_000);
    const refused = get(port).then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );

    await expect(inFlight).resolves.toEqual({ status: 200, body: 'done' });
    await expect(refused).resolves.toBe('ECONNREFUSED');
    await expect(closing).resolves.toBeUndefined();
  });

  it('given an idle keep-alive connection, when closing, then it does not hold the close up', async () => {
    const { server, port } = await slowServer(0);
    const agent = new HttpAgent({ keepAlive: true });
    await get(port, agent);

    const started = Date.now();
    await closeHttpServer(server, Date.now() + 10_000);

    expect(Date.now() - started).toBeLessThan(1000);
    agent.destroy();
  });

  it('given a request that outlives the deadline, when closing, then its connection is cut at the deadline', async () => {
    const { server, port } = await slowServer(60_000);
    const inFlight = get(port).catch((error: NodeJS.ErrnoException) => error.code);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const started = Date.now();
    await closeHttpServer(server, Date.now() + 200);

    expect(Date.now() - started).toBeLessThan(2000);
    await expect(inFlight).resolves.toBe('ECONNRESET');
  });
});
