import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { AddressPolicy } from '../../libs/deliveries/src/sending/address-policy';
import { HttpSender } from '../../libs/deliveries/src/sending/http-sender';
import { signWebhook } from '../../libs/deliveries/src/signing/webhook-signature';
import { FakeDnsServer, startDnsServer } from '../support/dns-server';
import { Receiver, startReceiver } from '../support/receiver';

/*
 * SSRF through webhook URLs: an admin (or whoever holds an admin token) picks the URL, the worker
 * sits inside the operator's network. One test per attack, each through the real HttpSender against
 * real receivers on 127.0.0.1 and a real DNS server answering internal addresses.
 */

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
/** Any IPv4 dotted quad, or anything that looks like an IPv6 address. */
const ANY_ADDRESS = /\b\d{1,3}(?:\.\d{1,3}){3}\b|(?:[0-9a-f]{0,4}:){2,}[0-9a-f]{0,4}/i;

describe('Security: SSRF through webhook URLs (real HttpSender, receivers and DNS on 127.0.0.1)', () => {
  /** The receiver an operator meant to allow. */
  let allowed: Receiver;
  /** Another service on the same host: what an attacker aims at. */
  let internal: Receiver;
  let dns: FakeDnsServer;
  const senders: HttpSender[] = [];

  const senderWith = (allowedTargets: string[]) => {
    const sender = new HttpSender({
      timeoutMs: 5_000,
      addressPolicy: new AddressPolicy(allowedTargets),
      allowHttp: true,
      dns: { servers: [dns.address], timeoutMs: 1_000 },
    });
    senders.push(sender);
    return sender;
  };

  const post = (sender: HttpSender, url: string) => {
    const body = '{"id":"evt_ssrf","type":"license.created"}';
    return sender.send({
      url,
      body,
      headers: signWebhook({
        messageId: 'evt_ssrf',
        timestampSeconds: Math.floor(Date.now() / 1000),
        body,
        secrets: [SECRET],
        eventType: 'license.created',
      }),
    });
  };

  /** Asserts the attempt was refused before anything reached either receiver. */
  const expectRefusedUnsent = async (attempt: Promise<unknown>, error: string | RegExp) => {
    const before = allowed.requests.length + internal.requests.length;
    const result = (await attempt) as { outcome: string; responseStatus: unknown; error: string };
    expect(result).toMatchObject({ outcome: 'failed', responseStatus: null });
    expect(result.error).toMatch(error);
    expect(allowed.requests.length + internal.requests.length).toBe(before);
    return result;
  };

  beforeAll(async () => {
    [allowed, internal, dns] = await Promise.all([
      startReceiver(),
      startReceiver(),
      startDnsServer(),
    ]);
    dns.answer('receiver.internal', { a: ['127.0.0.1'] });
    dns.answer('other.internal', { a: ['127.0.0.1'] });
    dns.answer('db.internal', { a: ['10.1.2.3'] });
    dns.answer('metadata.internal', { a: ['169.254.169.254'] });
    dns.answer('mapped.internal', { aaaa: ['::ffff:127.0.0.1'] });
    dns.answer('v6.internal', { aaaa: ['fd00::10'] });
  });

  afterEach(() => {
    for (const sender of senders.splice(0)) sender.close();
  });

  afterAll(async () => {
    await Promise.all([allowed?.close(), internal?.close(), dns?.close()]);
  });

  describe('an exemption narrowed to CIDR:port', () => {
    it('given 127.0.0.1/32:<receiver port> allowed, when a webhook points at 127.0.0.1 on another port, then it is refused and that service gets nothing', async () => {
      const sender = senderWith([`127.0.0.1/32:${allowed.port}`]);

      const ok = await post(sender, `http://127.0.0.1:${allowed.port}/meant`);
      expect(ok).toMatchObject({ outcome: 'succeeded', responseStatus: 200 });

      await expectRefusedUnsent(
        post(sender, `http://127.0.0.1:${internal.port}/admin`),
        'refused: 127.0.0.1 is a loopback address (SSRF guard)',
      );
    });

    it('given 127.0.0.1/32:<receiver port> allowed, when a name resolving to 127.0.0.1 is used with another port, then it is refused too', async () => {
      const sender = senderWith([`127.0.0.1/32:${allowed.port}`]);

      expect(
        await post(sender, `http://receiver.internal:${allowed.port}/meant-by-name`),
      ).toMatchObject({ outcome: 'succeeded' });
      await expectRefusedUnsent(
        post(sender, `http://other.internal:${internal.port}/admin`),
        'refused: other.internal resolves to a non-public address (SSRF guard)',
      );
    });

    it('given 127.0.0.1/32:80 allowed, when the URL gives no port, then the default port 80 is what is checked', async () => {
      // Nothing listens on 127.0.0.1:80 in the tests: a refusal by the guard, not a connection refused.
      const narrowed = senderWith([`127.0.0.1/32:${allowed.port}`]);
      await expectRefusedUnsent(
        post(narrowed, 'http://127.0.0.1/'),
        'refused: 127.0.0.1 is a loopback address (SSRF guard)',
      );

      const onEighty = senderWith(['127.0.0.1/32:80']);
      const result = await post(onEighty, 'http://127.0.0.1/');
      expect(result.error ?? '').not.toMatch(/SSRF guard/);
    });
  });

  describe('an exemption by host:port', () => {
    it('given receiver.internal:<port> allowed, when sent to that name and port, then it arrives (any case of the name)', async () => {
      const sender = senderWith([`receiver.internal:${allowed.port}`]);

      const result = await post(sender, `http://Receiver.INTERNAL:${allowed.port}/by-host`);

      expect(result).toMatchObject({ outcome: 'succeeded', responseStatus: 200 });
      await allowed.waitFor((request) => request.path === '/by-host', 2_000);
    });

    it('given receiver.internal:<port> allowed, when the same name is used with another port, then it is refused', async () => {
      const sender = senderWith([`receiver.internal:${allowed.port}`]);

      await expectRefusedUnsent(
        post(sender, `http://receiver.internal:${internal.port}/admin`),
        'refused: receiver.internal resolves to a non-public address (SSRF guard)',
      );
    });

    it('given receiver.internal:<port> allowed, when another name resolving to the same address and port is used, then it is refused', async () => {
      const sender = senderWith([`receiver.internal:${allowed.port}`]);

      await expectRefusedUnsent(
        post(sender, `http://other.internal:${allowed.port}/admin`),
        'refused: other.internal resolves to a non-public address (SSRF guard)',
      );
    });

    it('given receiver.internal:<port> allowed, when the address itself or localhost is used on that port, then it is refused: the exemption is for the name', async () => {
      const sender = senderWith([`receiver.internal:${allowed.port}`]);

      await expectRefusedUnsent(
        post(sender, `http://127.0.0.1:${allowed.port}/literal`),
        'refused: 127.0.0.1 is a loopback address (SSRF guard)',
      );
      await expectRefusedUnsent(
        post(sender, `http://localhost:${allowed.port}/localhost`),
        'refused: localhost resolves to a non-public address (SSRF guard)',
      );
    });

    it('given a kept-alive connection to an allowed name, when another name for the same address and port follows, then it is still refused', async () => {
      const sender = senderWith([`receiver.internal:${allowed.port}`]);
      expect(await post(sender, `http://receiver.internal:${allowed.port}/warm`)).toMatchObject({
        outcome: 'succeeded',
      });

      await expectRefusedUnsent(
        post(sender, `http://other.internal:${allowed.port}/reuse`),
        'refused: other.internal resolves to a non-public address (SSRF guard)',
      );
    });

    it('given metadata.internal allowed on every port, when it resolves to the cloud metadata service, then it is refused anyway', async () => {
      const sender = senderWith(['metadata.internal']);

      await expectRefusedUnsent(
        post(sender, 'http://metadata.internal/latest/meta-data/'),
        'refused: metadata.internal resolves to a non-public address (SSRF guard)',
      );
    });
  });

  describe('address forms that reach loopback or the local host', () => {
    it.each([
      ['decimal', `2130706433`],
      ['hexadecimal', `0x7f000001`],
      ['octal', `0177.0.0.1`],
      ['short', `127.1`],
      ['dotted hexadecimal', `0x7f.0.0.1`],
      ['IPv4-mapped IPv6', `[::ffff:127.0.0.1]`],
      ['IPv4-mapped IPv6, hex', `[::ffff:7f00:1]`],
      ['IPv6 loopback', `[::1]`],
      ['unspecified IPv4 (Linux connects it to the local host)', `0.0.0.0`],
      ['unspecified IPv6', `[::]`],
    ])(
      'given no exemption, when a webhook points at the %s form %s, then it is refused and nothing arrives',
      async (_form, host) => {
        const sender = senderWith([]);

        await expectRefusedUnsent(
          post(sender, `http://${host}:${internal.port}/form`),
          /^refused: .* is (an|the|a) .*(loopback|unspecified).* \(SSRF guard\)$/,
        );
      },
    );

    it.each([`0.0.0.0`, `[::1]`, `[::]`])(
      'given 127.0.0.1/32:<port> allowed, when %s on that very port is used, then it is refused: it is not 127.0.0.1',
      async (host) => {
        const sender = senderWith([`127.0.0.1/32:${internal.port}`]);

        await expectRefusedUnsent(
          post(sender, `http://${host}:${internal.port}/other-form`),
          /^refused: .* \(SSRF guard\)$/,
        );
      },
    );
  });

  describe('refusals do not read the internal DNS out', () => {
    it.each([
      ['db.internal', '10.1.2.3'],
      ['metadata.internal', '169.254.169.254'],
      ['mapped.internal', '::ffff:127.0.0.1'],
      ['v6.internal', 'fd00::10'],
      ['receiver.internal', '127.0.0.1'],
    ])(
      'given %s resolving to %s, when refused, then the error names the host only, not the address nor its kind',
      async (host, address) => {
        const sender = senderWith([]);

        const result = await expectRefusedUnsent(
          post(sender, `https://${host}:${internal.port}/`),
          `refused: ${host} resolves to a non-public address (SSRF guard)`,
        );

        expect(result.error).not.toContain(address);
        expect(result.error).not.toMatch(ANY_ADDRESS);
        expect(result.error.replace(host, '<host>')).not.toMatch(
          /loopback|private|metadata|link-local|mapped|unique-local/,
        );
      },
    );

    it('given an allowed name whose receiver is down, when the connection is refused, then the error names the host, not the address it resolved to', async () => {
      const port = await closedPort();
      const sender = senderWith([`receiver.internal:${port}`]);

      const result = await post(sender, `http://receiver.internal:${port}/`);

      expect(result).toMatchObject({ outcome: 'failed', responseStatus: null });
      expect(result.error).toMatch(/^connection refused/);
      expect(result.error).not.toContain('127.0.0.1');
      expect(result.error).not.toMatch(ANY_ADDRESS);
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
