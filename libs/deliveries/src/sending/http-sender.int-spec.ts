import { loadConfig } from '@app/config';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Webhook } from 'standardwebhooks';
import { FakeDnsServer, startDnsServer } from '../../../../test/support/dns-server';
import { Receiver, startReceiver } from '../../../../test/support/receiver';
import { deferred, within } from '../../../../test/support/within';
import { signWebhook } from '../signing/webhook-signature';
import { RESPONSE_BODY_LIMIT_BYTES } from '../storage/delivery.documents';
import { AddressPolicy } from './address-policy';
import { HttpSender, HttpSenderOptions } from './http-sender';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const LOOPBACK_ALLOWED = new AddressPolicy(['127.0.0.1/32']);

describe('HttpSender (real HTTP and HTTPS servers on 127.0.0.1)', () => {
  let http: Receiver;
  let https: Receiver;
  const senders: HttpSender[] = [];

  /** A sender that may reach the local receivers unless a test says otherwise. */
  const senderWith = (options: Partial<HttpSenderOptions> = {}) => {
    const sender = new HttpSender({
      timeoutMs: 5_000,
      addressPolicy: LOOPBACK_ALLOWED,
      allowHttp: true,
      ...options,
    });
    senders.push(sender);
    return sender;
  };

  const signedRequest = (url: string, body = '{"id":"evt_1","type":"license.created"}') => ({
    url,
    body,
    headers: signWebhook({
      messageId: 'evt_1',
      timestampSeconds: Math.floor(Date.now() / 1000),
      body,
      secrets: [SECRET],
      eventType: 'license.created',
    }),
  });

  beforeAll(async () => {
    [http, https] = await Promise.all([startReceiver(), startReceiver({ https: true })]);
  });

  afterEach(() => {
    for (const sender of senders.splice(0)) sender.close();
    http.respond(() => ({ status: 200, body: 'ok' }));
    https.respond(() => ({ status: 200, body: 'ok' }));
  });

  afterAll(async () => {
    await Promise.all([http?.close(), https?.close()]);
  });

  describe('success', () => {
    it('given a receiver answering 200, when sent, then it succeeds and the receiver got the POST, headers and body byte for byte', async () => {
      // Whitespace around the JSON: axios would trim it, which would break the signature.
      const request = signedRequest(`${http.url}/hooks/a?x=1`, ' {"id":"evt_1","n":"é€"}\n');

      const result = await senderWith().send(request);

      expect(result).toEqual({
        outcome: 'succeeded',
        responseStatus: 200,
        responseBody: 'ok',
        durationMs: expect.any(Number),
        error: null,
        retryAfterSeconds: null,
      });
      const received = await http.waitFor((r) => r.path === '/hooks/a?x=1', 2_000);
      expect(received.method).toBe('POST');
      expect(received.rawBody).toBe(request.body);
      expect(received.headers).toMatchObject({
        'content-type': 'application/json',
        'user-agent': request.headers['user-agent'],
        'webhook-id': 'evt_1',
        'webhook-timestamp': request.headers['webhook-timestamp'],
        'webhook-signature': request.headers['webhook-signature'],
        'x-webhook-id': 'evt_1',
        'x-webhook-event': 'license.created',
        'content-length': String(Buffer.byteLength(request.body)),
      });
      // The receiver's point of view: what arrived verifies with the Standard Webhooks library.
      const headers = received.headers as Record<string, string>;
      expect(() => new Webhook(SECRET).verify(received.rawBody, headers)).not.toThrow();
    });

    it.each([201, 202, 204, 299])(
      'given a receiver answering %i, when sent, then it succeeds',
      async (status) => {
        http.respond(() => ({ status }));

        const result = await senderWith().send(signedRequest(http.url));

        expect(result).toMatchObject({ outcome: 'succeeded', responseStatus: status, error: null });
      },
    );

    it('given several attempts to one receiver, when sent one after another, then each arrives', async () => {
      const sender = senderWith();
      const before = http.requests.length;

      for (let n = 0; n < 5; n += 1) {
        expect((await sender.send(signedRequest(`${http.url}/n${n}`))).outcome).toBe('succeeded');
      }

      expect(http.requests.slice(before).map((r) => r.path)).toEqual([
        '/n0',
        '/n1',
        '/n2',
        '/n3',
        '/n4',
      ]);
    });
  });

  describe('redirects', () => {
    it('given a 302 to another path, when sent, then it fails, names the location and does not follow it', async () => {
      const location = `${http.url}/followed`;
      http.respond((r) =>
        r.path === '/moved' ? { status: 302, headers: { location } } : { status: 200 },
      );

      const result = await senderWith().send(signedRequest(`${http.url}/moved`));

      expect(result).toMatchObject({
        outcome: 'failed',
        responseStatus: 302,
        error: `redirect to ${location} not followed`,
        retryAfterSeconds: null,
      });
      expect(http.requests.some((r) => r.path === '/followed')).toBe(false);
    });

    it.each([301, 307, 308])('given a %i, when sent, then it fails', async (status) => {
      http.respond(() => ({ status, headers: { location: 'https://example.com/' } }));

      const result = await senderWith().send(signedRequest(http.url));

      expect(result).toMatchObject({ outcome: 'failed', responseStatus: status });
      expect(result.error).toBe('redirect to https://example.com/ not followed');
    });
  });

  describe('response bodies', () => {
    it('given a 500 with a long body, when sent, then it fails and keeps only the first 4096 bytes', async () => {
      http.respond(() => ({ status: 500, body: 'x'.repeat(100_000) }));

      const result = await senderWith().send(signedRequest(http.url));

      expect(result).toMatchObject({
        outcome: 'failed',
        responseStatus: 500,
        error: 'HTTP 500 Internal Server Error',
        retryAfterSeconds: null,
      });
      expect(result.responseBody).toBe('x'.repeat(RESPONSE_BODY_LIMIT_BYTES));
    });

    it('given a body whose 4096th byte splits a character, when cut, then the broken character is dropped, not garbled', async () => {
      // 1 + 2 * 3000 bytes: the limit falls in the middle of an "é".
      http.respond(() => ({ status: 400, body: `x${'é'.repeat(3000)}` }));

      const result = await senderWith().send(signedRequest(http.url));

      expect(result.responseBody).toBe(`x${'é'.repeat(2047)}`);
      expect(Buffer.byteLength(result.responseBody!)).toBe(RESPONSE_BODY_LIMIT_BYTES - 1);
    });

    it('given a body that never ends, when sent, then the attempt is judged on its first 4096 bytes without waiting for the rest', async () => {
      http.respond(() => ({ status: 200, body: 'y'.repeat(64 * 1024), stall: true }));

      const result = await senderWith({ timeoutMs: 10_000 }).send(signedRequest(http.url));

      expect(result).toMatchObject({ outcome: 'succeeded', responseStatus: 200 });
      expect(result.responseBody).toHaveLength(RESPONSE_BODY_LIMIT_BYTES);
      expect(result.durationMs).toBeLessThan(5_000);
    });

    it('given an endless body, when the first 4096 bytes are in, then the connection is cut rather than drained', async () => {
      // A raw server, to see the connection close while it is still writing.
      const cut = deferred();
      const server = createHttpServer((_req, res) => {
        res.writeHead(500);
        const chunk = Buffer.alloc(16 * 1024, 'z');
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
        };
        res.on('drain', pump);
        res.on('close', () => cut.resolve());
        pump();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      const { port } = server.address() as AddressInfo;
      try {
        const result = await senderWith().send(signedRequest(`http://127.0.0.1:${port}/`));

        expect(result).toMatchObject({ outcome: 'failed', responseStatus: 500 });
        expect(result.responseBody).toHaveLength(RESPONSE_BODY_LIMIT_BYTES);
        await within(cut.promise, 2_000, 'the sender to cut the connection');
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    it('given a gzip-encoded answer, when sent, then the body is kept decoded', async () => {
      http.respond(() => ({
        status: 500,
        headers: { 'content-encoding': 'gzip' },
        body: gzipSync('database is down'),
      }));

      const result = await senderWith().send(signedRequest(http.url));

      expect(result.responseBody).toBe('database is down');
    });
  });

  describe('timeouts', () => {
    it('given a receiver that never answers, when sent with a 300 ms timeout, then it fails as timed out', async () => {
      http.respond(() => 'hang');

      const result = await senderWith({ timeoutMs: 300 }).send(signedRequest(http.url));

      expect(result).toEqual({
        outcome: 'failed',
        responseStatus: null,
        responseBody: null,
        durationMs: expect.any(Number),
        error: 'timed out after 300 ms',
        retryAfterSeconds: null,
      });
      expect(result.durationMs).toBeGreaterThanOrEqual(290);
      expect(result.durationMs).toBeLessThan(3_000);
    });

    it('given a receiver that sends its headers and then stalls the body, when sent with a 300 ms timeout, then it fails as timed out', async () => {
      http.respond(() => ({ status: 200, body: 'partial', stall: true }));

      const result = await senderWith({ timeoutMs: 300 }).send(signedRequest(http.url));

      expect(result).toMatchObject({
        outcome: 'failed',
        responseStatus: null,
        error: 'timed out after 300 ms reading the response body (HTTP 200)',
      });
      expect(result.durationMs).toBeLessThan(3_000);
    });
  });

  describe('status codes', () => {
    it('given a 410, when sent, then the outcome is gone', async () => {
      http.respond(() => ({ status: 410, body: 'unsubscribed' }));

      const result = await senderWith().send(signedRequest(http.url));

      expect(result).toMatchObject({
        outcome: 'gone',
        responseStatus: 410,
        responseBody: 'unsubscribed',
        error: 'HTTP 410 Gone',
      });
    });

    it.each([
      [429, '120', 120],
      [503, '0', 0],
      [503, 'soon', null],
      [429, undefined, null],
      [500, '120', null],
    ])(
      'given a %i with Retry-After %j, when sent, then it fails asking for %j seconds',
      async (status, retryAfter, expected) => {
        http.respond(() => ({
          status,
          headers: retryAfter ? { 'retry-after': retryAfter } : undefined,
        }));

        const result = await senderWith().send(signedRequest(http.url));

        expect(result).toMatchObject({
          outcome: 'failed',
          responseStatus: status,
          retryAfterSeconds: expected,
        });
      },
    );

    it.each([429, 503])(
      'given a %i with Retry-After as an HTTP date, when sent, then the wait until that date is given',
      async (status) => {
        const at = new Date(Date.now() + 90_000).toUTCString();
        http.respond(() => ({ status, headers: { 'retry-after': at } }));

        const result = await senderWith().send(signedRequest(http.url));

        expect(result.retryAfterSeconds).toBeGreaterThanOrEqual(88);
        expect(result.retryAfterSeconds).toBeLessThanOrEqual(91);
      },
    );
  });

  describe('the SSRF guard', () => {
    const unguarded = () => senderWith({ addressPolicy: new AddressPolicy() });

    it('given 127.0.0.1 and no CIDR allowing it, when sent, then it is refused and nothing arrives', async () => {
      const before = http.requests.length;

      const result = await unguarded().send(signedRequest(`${http.url}/ssrf`));

      expect(result).toEqual({
        outcome: 'failed',
        responseStatus: null,
        responseBody: null,
        durationMs: expect.any(Number),
        error: 'refused: 127.0.0.1 is a loopback address (SSRF guard)',
        retryAfterSeconds: null,
      });
      expect(http.requests.length).toBe(before);
    });

    it('given localhost and no CIDR allowing it, when sent, then the resolved address is refused and nothing arrives', async () => {
      const before = http.requests.length;

      const result = await unguarded().send(signedRequest(`http://localhost:${http.port}/ssrf`));

      // The name's address is not told: refusals must not read internal DNS answers out.
      expect(result).toMatchObject({
        outcome: 'failed',
        responseStatus: null,
        error: 'refused: localhost resolves to a non-public address (SSRF guard)',
      });
      expect(http.requests.length).toBe(before);
    });

    it.each([
      ['[::1]', 'refused: ::1 is a loopback address (SSRF guard)'],
      [
        '[::ffff:127.0.0.1]',
        'refused: ::ffff:7f00:1 is the IPv4-mapped form of 127.0.0.1, a loopback address (SSRF guard)',
      ],
      [
        '169.254.169.254',
        'refused: 169.254.169.254 is a link-local address (cloud metadata service) (SSRF guard)',
      ],
    ])(
      'given the IP literal %s, when sent, then it is refused before connecting',
      async (host, error) => {
        const result = await unguarded().send(signedRequest(`http://${host}:${http.port}/`));

        expect(result).toMatchObject({ outcome: 'failed', responseStatus: null, error });
      },
    );

    it('given 127.0.0.1/32 allowed, when sent to 127.0.0.1 and to localhost, then both arrive', async () => {
      const sender = senderWith({ addressPolicy: new AddressPolicy(['127.0.0.1/32']) });

      const literal = await sender.send(signedRequest(`${http.url}/allowed-literal`));
      const named = await sender.send(signedRequest(`http://localhost:${http.port}/allowed-name`));

      expect(literal.outcome).toBe('succeeded');
      expect(named.outcome).toBe('succeeded');
      await http.waitFor((r) => r.path === '/allowed-name', 2_000);
    });
  });

  describe('plain http', () => {
    it('given http not allowed, when sent to an http:// URL, then it is refused and nothing arrives', async () => {
      const before = http.requests.length;

      const result = await senderWith({ allowHttp: false }).send(signedRequest(http.url));

      expect(result).toMatchObject({
        outcome: 'failed',
        responseStatus: null,
        error: 'refused: plain http:// is not allowed (WEBHOOKS_ALLOW_HTTP is false)',
      });
      expect(http.requests.length).toBe(before);
    });

    it('given http not allowed, when sent to an https:// URL, then it goes out', async () => {
      const sender = senderWith({ allowHttp: false, extraCaPem: https.caPem });

      expect((await sender.send(signedRequest(https.url))).outcome).toBe('succeeded');
    });

    it.each(['ftp://127.0.0.1/x', 'not a url'])(
      'given %j, when sent, then it fails as an unusable URL',
      async (url) => {
        const result = await senderWith().send(signedRequest(url));

        expect(result).toMatchObject({ outcome: 'failed', responseStatus: null });
        expect(result.error).toMatch(/^(invalid URL|unsupported URL scheme)/);
      },
    );
  });

  describe('TLS', () => {
    it('given a self-signed receiver trusted through the extra CA, when sent to its IP and to localhost, then both succeed over HTTPS', async () => {
      const sender = senderWith({ extraCaPem: https.caPem });

      const literal = await sender.send(signedRequest(`${https.url}/tls`));
      const named = await sender.send(signedRequest(`https://localhost:${https.port}/tls-name`));

      expect(literal).toMatchObject({
        outcome: 'succeeded',
        responseStatus: 200,
        responseBody: 'ok',
      });
      expect(named).toMatchObject({ outcome: 'succeeded', responseStatus: 200 });
      const received = await https.waitFor((r) => r.path === '/tls', 2_000);
      expect(() =>
        new Webhook(SECRET).verify(received.rawBody, received.headers as Record<string, string>),
      ).not.toThrow();
    });

    it('given a self-signed receiver and no extra CA, when sent, then it fails as a TLS error and nothing arrives', async () => {
      const before = https.requests.length;

      const result = await senderWith().send(signedRequest(`${https.url}/untrusted`));

      expect(result).toMatchObject({ outcome: 'failed', responseStatus: null, responseBody: null });
      expect(result.error).toMatch(/^TLS: .*self[- ]signed/i);
      expect(https.requests.length).toBe(before);
    });

    it('given the extra CA, when sent to a public-CA receiver, then the system roots are still trusted', () => {
      // No network in tests: check the trust store the agent was given instead of connecting out.
      const sender = senderWith({ extraCaPem: https.caPem });
      const ca = (sender as unknown as { httpsAgent: { options: { ca: string[] } } }).httpsAgent
        .options.ca;

      expect(ca).toContain(https.caPem);
      expect(ca.length).toBeGreaterThan(100);
    });
  });

  describe('DNS (a fake DNS server on 127.0.0.1)', () => {
    let dns: FakeDnsServer;
    /** A sender resolving names with the fake server only. */
    const resolvingWith = (dnsTimeoutMs: number, options: Partial<HttpSenderOptions> = {}) =>
      senderWith({ dns: { servers: [dns.address], timeoutMs: dnsTimeoutMs }, ...options });
    const urlOf = (host: string, path = '/') => `http://${host}:${http.port}${path}`;

    beforeAll(async () => {
      dns = await startDnsServer();
      dns.answer('good.test', { a: ['127.0.0.1'] });
      dns.answer('internal.test', { a: ['10.1.2.3'] });
      dns.answer('mixed.test', { a: ['10.1.2.3', '127.0.0.1'] });
    });

    afterAll(() => dns?.close());

    it('given DELIVERY_DNS_SERVERS at the fake server, when attempts to stalled names are in flight, then good.test keeps succeeding and the stalled ones fail as DNS timeouts', async () => {
      const stateDir = mkdtempSync(join(tmpdir(), 'http-sender-dns-'));
      try {
        const config = loadConfig({
          LOCAL_MODE: 'true',
          LOCAL_STATE_DIR: stateDir,
          WEBHOOKS_ALLOW_HTTP: 'true',
          DELIVERY_ALLOWED_CIDRS: '127.0.0.1/32',
          DELIVERY_DNS_SERVERS: dns.address,
          DELIVERY_DNS_TIMEOUT_MS: '1000',
        });
        const sender = HttpSender.fromConfig(config);
        senders.push(sender);
        const stalled = Array.from({ length: 20 }, (_, n) => `stall-${n}.test`);
        for (const name of stalled) dns.stall(name);

        const stalling = stalled.map((name) => sender.send(signedRequest(urlOf(name))));
        const good = [];
        for (let n = 0; n < 5; n += 1) {
          good.push(await sender.send(signedRequest(urlOf('good.test', `/dns-good-${n}`))));
        }

        for (const result of good) {
          expect(result).toMatchObject({ outcome: 'succeeded', responseStatus: 200 });
          expect(result.durationMs).toBeLessThan(500);
        }
        const results = await Promise.all(stalling);
        results.forEach((result, n) =>
          expect(result).toMatchObject({
            outcome: 'failed',
            responseStatus: null,
            error: `DNS lookup timed out: no answer for stall-${n}.test within 1000 ms (ETIMEOUT)`,
          }),
        );
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    });

    it('given an attempt timeout shorter than the DNS timeout, when the name stalls, then the attempt fails at its own timeout, saying it waited for DNS', async () => {
      dns.stall('stall-attempt.test');

      const result = await resolvingWith(5_000, { timeoutMs: 300 }).send(
        signedRequest(urlOf('stall-attempt.test')),
      );

      expect(result).toMatchObject({
        outcome: 'failed',
        responseStatus: null,
        error: 'timed out after 300 ms waiting for the DNS answer for stall-attempt.test',
      });
      expect(result.durationMs).toBeLessThan(1_500);
    });

    it('given a name resolving to a private address, when sent, then the guard refuses it without telling the address', async () => {
      const result = await resolvingWith(1_000).send(signedRequest(urlOf('internal.test')));

      expect(result).toMatchObject({
        outcome: 'failed',
        responseStatus: null,
        error: 'refused: internal.test resolves to a non-public address (SSRF guard)',
      });
      expect(result.error).not.toContain('10.1.2.3');
    });

    it('given a name with a private and an allowed address, when sent, then the private one is dropped and the attempt goes to the allowed one', async () => {
      const result = await resolvingWith(1_000).send(
        signedRequest(urlOf('mixed.test', '/dns-mixed')),
      );

      expect(result).toMatchObject({ outcome: 'succeeded', responseStatus: 200 });
      await http.waitFor((request) => request.path === '/dns-mixed', 2_000);
    });

    it('given an unknown name, when sent, then it fails as not found, naming the host', async () => {
      const result = await resolvingWith(1_000).send(signedRequest(urlOf('nope.test')));

      expect(result).toMatchObject({
        outcome: 'failed',
        responseStatus: null,
        error: 'DNS lookup failed: nope.test does not exist (ENOTFOUND)',
      });
    });

    it.each([30, 0])(
      'given DELIVERY_DNS_CACHE_SECONDS=%i, when sent to a name not asked before, then DNS is asked once: the connection gets the answer the attempt resolved',
      async (cacheSeconds) => {
        const name = `fresh-${cacheSeconds}.test`;
        dns.answer(name, { a: ['127.0.0.1'] });
        const sender = senderWith({
          dns: { servers: [dns.address], timeoutMs: 1_000, cacheSeconds },
        });

        const result = await sender.send(signedRequest(urlOf(name)));

        expect(result.outcome).toBe('succeeded');
        const asked = dns.received.filter((query) => query.name === name);
        expect(asked.map((query) => query.type).sort()).toEqual(['A', 'AAAA']);
      },
    );
  });

  describe('network errors', () => {
    it('given nothing listening on the port, when sent, then it fails as connection refused', async () => {
      const port = await closedPort();

      const result = await senderWith().send(signedRequest(`http://127.0.0.1:${port}/`));

      expect(result).toMatchObject({ outcome: 'failed', responseStatus: null });
      expect(result.error).toMatch(/^connection refused/);
    });
  });
});

/** A port that was free a moment ago and has nothing listening on it now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
