import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { FakeDnsServer, startDnsServer } from '../../../../test/support/dns-server';
import { within } from '../../../../test/support/within';
import { DnsLookupError, DnsTimeoutError, LookupAbortedError } from './dns-errors';
import { DnsResolver, DnsResolverOptions, FAILURE_CACHE_SECONDS } from './dns-resolver';

/** What a rejected lookup rejected with (fails the test if it resolved). */
async function rejectionOf(lookup: Promise<unknown>): Promise<Error> {
  try {
    await lookup;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the lookup resolved');
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const startedAt = performance.now();
  const value = await work;
  return { value, ms: performance.now() - startedAt };
}

describe('DnsResolver (a fake DNS server on 127.0.0.1)', () => {
  let server: FakeDnsServer;
  let dir: string;
  let hostsFile: string;
  let clock: number;
  const resolvers: DnsResolver[] = [];

  /** A resolver asking only the fake server, with an empty hosts file and a clock the test moves. */
  const resolverWith = (options: DnsResolverOptions = {}) => {
    const resolver = new DnsResolver({
      servers: [server.address],
      hostsFile,
      now: () => clock,
      ...options,
    });
    resolvers.push(resolver);
    return resolver;
  };

  beforeAll(async () => {
    server = await startDnsServer();
    server.answer('good.test', { a: ['192.0.2.10', '192.0.2.11'], aaaa: ['2001:db8::10'] });
    server.answer('v6only.test', { aaaa: ['2001:db8::6'] });
    server.answer('empty.test', {});
    server.fail('servfail.test', 'SERVFAIL');
  });

  beforeEach(() => {
    clock = Date.now();
    dir = mkdtempSync(join(tmpdir(), 'dns-resolver-'));
    hostsFile = join(dir, 'hosts');
    writeFileSync(hostsFile, '');
  });

  afterEach(() => {
    for (const resolver of resolvers.splice(0)) resolver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  afterAll(() => server.close());

  describe('answers', () => {
    it('given a name with A and AAAA records, when looked up, then every address comes back, IPv4 first', async () => {
      const addresses = await resolverWith().lookup('good.test');

      expect(addresses).toEqual([
        { address: '192.0.2.10', family: 4 },
        { address: '192.0.2.11', family: 4 },
        { address: '2001:db8::10', family: 6 },
      ]);
    });

    it('given a name with only an AAAA record, when looked up, then that answer is enough', async () => {
      expect(await resolverWith().lookup('V6ONLY.test.')).toEqual([
        { address: '2001:db8::6', family: 6 },
      ]);
    });

    it('given a server that answers A but never AAAA, when looked up, then the A answer comes back without waiting for the timeout', async () => {
      const name = 'a-only.test';
      server.answer(name, { a: ['192.0.2.40'], unanswered: ['AAAA'] });
      const resolver = resolverWith({ timeoutMs: 5_000 });

      const { value, ms } = await timed(resolver.lookup(name));

      expect(value).toEqual([{ address: '192.0.2.40', family: 4 }]);
      expect(ms).toBeLessThan(1_000);
    });

    it.each(['127.0.0.1', '203.0.113.9', '::1', '[2001:db8::1]'])(
      'given the IP literal %s, when looked up, then it comes back as it is without asking DNS',
      async (literal) => {
        const before = server.received.length;

        const addresses = await resolverWith().lookup(literal);

        const address = literal.replace(/^\[|\]$/g, '');
        expect(addresses).toEqual([{ address, family: address.includes(':') ? 6 : 4 }]);
        expect(server.received.length).toBe(before);
      },
    );
  });

  describe('failures', () => {
    it('given an unknown name, when looked up, then it fails as ENOTFOUND naming the host', async () => {
      const error = await rejectionOf(resolverWith().lookup('nope.test'));

      expect(error).toBeInstanceOf(DnsLookupError);
      expect(error).toMatchObject({ code: 'ENOTFOUND', host: 'nope.test' });
      expect(error.message).toBe('DNS lookup failed: nope.test does not exist (ENOTFOUND)');
    });

    it('given a name without address records, when looked up, then it fails as ENOTFOUND', async () => {
      const error = await rejectionOf(resolverWith().lookup('empty.test'));

      expect(error).toMatchObject({
        code: 'ENOTFOUND',
        message: 'DNS lookup failed: empty.test has no A or AAAA record (ENOTFOUND)',
      });
    });

    it('given a server answering SERVFAIL, when looked up, then it fails as the temporary EAI_AGAIN', async () => {
      const error = await rejectionOf(resolverWith().lookup('servfail.test'));

      expect(error).toMatchObject({
        code: 'EAI_AGAIN',
        message:
          'DNS lookup failed: the DNS server answered SERVFAIL for servfail.test (EAI_AGAIN)',
      });
    });

    it('given a stalled name, when looked up with a 300 ms timeout, then it fails as a timeout at 300 ms, naming the host but not the server', async () => {
      server.stall('stall-timeout.test');

      const { value: error, ms } = await timed(
        rejectionOf(resolverWith({ timeoutMs: 300 }).lookup('stall-timeout.test')),
      );

      expect(error).toBeInstanceOf(DnsTimeoutError);
      expect(error).toMatchObject({ code: 'ETIMEOUT' });
      expect(error.message).toBe(
        'DNS lookup timed out: no answer for stall-timeout.test within 300 ms (ETIMEOUT)',
      );
      expect(error.message).not.toContain('127.0.0.1');
      expect(ms).toBeGreaterThanOrEqual(290);
      expect(ms).toBeLessThan(1_000);
    });
  });

  describe('isolation: a stalled DNS server holds no thread', () => {
    it('given 50 lookups of stalled names in flight, when a good name, a file read and a gzip are started, then each finishes within 500 ms', async () => {
      const resolver = resolverWith({ timeoutMs: 10_000 });
      const stalled = Array.from({ length: 41 }, (_, n) => `stall-crowd-${n}.test`);
      for (const name of stalled) server.stall(name);
      // 40 names of their own and 10 lookups sharing one, all waiting on a server that never answers.
      const controllers = Array.from({ length: 50 }, () => new AbortController());
      const inFlight = controllers.map((controller, n) =>
        rejectionOf(resolver.lookup(stalled[Math.min(n, 40)], { signal: controller.signal })),
      );
      await within(
        Promise.all(stalled.map((name) => server.receivedQueries(name, 2))),
        5_000,
        'the stalled queries to reach the server',
      );

      const [good, file, zipped] = await Promise.all([
        timed(resolver.lookup('good.test')),
        timed(readFile(__filename)),
        timed(promisify(gzip)(Buffer.alloc(64 * 1024, 'x'))),
      ]);

      expect(good.value[0]).toEqual({ address: '192.0.2.10', family: 4 });
      expect(good.ms).toBeLessThan(500);
      expect(file.value.length).toBeGreaterThan(0);
      expect(file.ms).toBeLessThan(500);
      expect(zipped.value.length).toBeGreaterThan(0);
      expect(zipped.ms).toBeLessThan(500);

      for (const controller of controllers) controller.abort();
      for (const error of await Promise.all(inFlight)) expect(error.name).toBe('AbortError');
    });
  });

  describe('abort', () => {
    it('given a lookup of a stalled name, when its signal fires, then it rejects with an AbortError at once and the server sees no retry', async () => {
      // 900 ms timeout: c-ares retransmits after about 300 ms.
      const resolver = resolverWith({ timeoutMs: 900 });
      server.stall('stall-abort.test');
      server.stall('stall-control.test');
      const controller = new AbortController();
      const lookup = rejectionOf(
        resolver.lookup('stall-abort.test', { signal: controller.signal }),
      );
      await within(server.receivedQueries('stall-abort.test', 2), 2_000, 'the A and AAAA query');

      controller.abort();
      const { value: error, ms } = await timed(lookup);

      expect(error).toBeInstanceOf(LookupAbortedError);
      expect(error).toMatchObject({ name: 'AbortError', host: 'stall-abort.test' });
      expect(ms).toBeLessThan(100);
      // A lookup started after the abort, with the same timing: once its retransmission has
      // arrived, the aborted one's would have too, had it not been cancelled.
      const control = rejectionOf(resolver.lookup('stall-control.test'));
      await within(server.receivedQueries('stall-control.test', 4), 5_000, 'the retransmission');
      expect(server.queries('stall-abort.test')).toBe(2);
      expect(await control).toBeInstanceOf(DnsTimeoutError);
    });

    it('given a signal that has already fired, when looked up, then it rejects without asking', async () => {
      const before = server.received.length;

      const error = await rejectionOf(
        resolverWith().lookup('good.test', { signal: AbortSignal.abort() }),
      );

      expect(error.name).toBe('AbortError');
      expect(server.received.length).toBe(before);
    });
  });

  describe('the answer cache', () => {
    it('given an answer, when looked up again within its TTL, then no query is made', async () => {
      const resolver = resolverWith();
      const first = await resolver.lookup('good.test');
      const queries = server.queries('good.test');

      clock += 29_000;
      const second = await resolver.lookup('good.test');

      expect(second).toEqual(first);
      expect(server.queries('good.test')).toBe(queries);
    });

    it('given a TTL of 7 s, shorter than the cache setting, when 7 s have passed, then the name is asked again', async () => {
      server.answer('ttl7.test', { a: ['192.0.2.7'], ttl: 7 });
      const resolver = resolverWith({ cacheSeconds: 30 });
      await resolver.lookup('ttl7.test');

      clock += 6_900;
      await resolver.lookup('ttl7.test');
      expect(server.queries('ttl7.test')).toBe(2);

      clock += 200;
      await resolver.lookup('ttl7.test');
      expect(server.queries('ttl7.test')).toBe(4);
    });

    it('given a cache setting of 2 s below a 60 s TTL, when 2 s have passed, then the name is asked again', async () => {
      const resolver = resolverWith({ cacheSeconds: 2 });
      await resolver.lookup('good.test');
      const queries = server.queries('good.test');

      clock += 2_001;
      await resolver.lookup('good.test');

      expect(server.queries('good.test')).toBe(queries + 2);
    });

    it('given the cache setting 0, when looked up twice, then both lookups ask', async () => {
      const resolver = resolverWith({ cacheSeconds: 0 });
      const before = server.queries('good.test');

      await resolver.lookup('good.test');
      await resolver.lookup('good.test');

      expect(server.queries('good.test')).toBe(before + 4);
    });

    it('given an answer, when a caller changes the array it got, then the cache keeps its own', async () => {
      const resolver = resolverWith();
      const first = await resolver.lookup('good.test');

      first.splice(0);

      expect(await resolver.lookup('good.test')).toHaveLength(3);
    });
  });

  describe('the failure cache', () => {
    it(`given an unknown name, when looked up again within ${FAILURE_CACHE_SECONDS} s, then it fails the same without asking, and asks again after`, async () => {
      const resolver = resolverWith();
      await rejectionOf(resolver.lookup('nope-cached.test'));
      expect(server.queries('nope-cached.test')).toBe(2);

      clock += FAILURE_CACHE_SECONDS * 1000 - 100;
      const again = await rejectionOf(resolver.lookup('nope-cached.test'));

      expect(again).toMatchObject({ code: 'ENOTFOUND', host: 'nope-cached.test' });
      expect(again.message).toBe(
        `DNS lookup failed: nope-cached.test does not exist (ENOTFOUND; the same failure within the last ${FAILURE_CACHE_SECONDS} s, not asked again yet)`,
      );
      expect(server.queries('nope-cached.test')).toBe(2);

      clock += 200;
      await rejectionOf(resolver.lookup('nope-cached.test'));
      expect(server.queries('nope-cached.test')).toBe(4);
    });

    it('given a stalled name that timed out, when looked up again at once, then it fails as a timeout immediately', async () => {
      server.stall('stall-cached.test');
      const resolver = resolverWith({ timeoutMs: 200 });
      await rejectionOf(resolver.lookup('stall-cached.test'));
      const queries = server.queries('stall-cached.test');

      const { value: again, ms } = await timed(rejectionOf(resolver.lookup('stall-cached.test')));

      expect(again).toBeInstanceOf(DnsTimeoutError);
      expect(ms).toBeLessThan(50);
      expect(server.queries('stall-cached.test')).toBe(queries);
    });

    it('given a lookup that was aborted, when looked up again, then it asks again: an abort says nothing about the name', async () => {
      server.stall('stall-abort-uncached.test');
      const resolver = resolverWith({ timeoutMs: 5_000 });
      const controller = new AbortController();
      const first = rejectionOf(
        resolver.lookup('stall-abort-uncached.test', { signal: controller.signal }),
      );
      await within(server.receivedQueries('stall-abort-uncached.test', 2), 2_000, 'the query');
      controller.abort();
      await first;

      const second = new AbortController();
      const again = rejectionOf(
        resolver.lookup('stall-abort-uncached.test', { signal: second.signal }),
      );
      await within(server.receivedQueries('stall-abort-uncached.test', 4), 2_000, 'a new query');
      second.abort();
      expect((await again).name).toBe('AbortError');
    });
  });

  describe('shared queries', () => {
    it('given 10 concurrent lookups of one name, when answered, then the server was asked once (one A, one AAAA)', async () => {
      server.answer('crowded.test', { a: ['192.0.2.60'], aaaa: ['2001:db8::60'] });
      const resolver = resolverWith();

      const answers = await Promise.all(
        Array.from({ length: 10 }, () => resolver.lookup('crowded.test')),
      );

      for (const answer of answers) expect(answer).toEqual(answers[0]);
      // Every query made was answered before its lookup resolved: none is still on its way.
      expect(server.queries('crowded.test')).toBe(2);
    });

    it('given two concurrent lookups of one name, when one caller aborts, then the other still gets the answer of the one shared query', async () => {
      const name = 'shared.test';
      server.stall(name);
      // 900 ms timeout: the retransmission goes out after about 300 ms.
      const resolver = resolverWith({ timeoutMs: 900 });
      const leaving = new AbortController();
      const staying = new AbortController();
      const left = rejectionOf(resolver.lookup(name, { signal: leaving.signal }));
      const stayed = resolver.lookup(name, { signal: staying.signal });
      await within(server.receivedQueries(name, 2), 2_000, 'the first A and AAAA query');

      leaving.abort();
      expect((await left).name).toBe('AbortError');
      // The server now answers: the shared query's retransmission gets the answer.
      server.answer(name, { a: ['192.0.2.50'] });

      expect(await within(stayed, 2_000, 'the answer')).toEqual([
        { address: '192.0.2.50', family: 4 },
      ]);
    });

    it('given two concurrent lookups of one name, when both callers abort, then the query is cancelled', async () => {
      const name = 'shared-abandoned.test';
      server.stall(name);
      server.stall('shared-control.test');
      const resolver = resolverWith({ timeoutMs: 900 });
      const first = new AbortController();
      const second = new AbortController();
      const lookups = [first, second].map((controller) =>
        rejectionOf(resolver.lookup(name, { signal: controller.signal })),
      );
      await within(server.receivedQueries(name, 2), 2_000, 'the A and AAAA query');

      first.abort();
      second.abort();
      for (const error of await Promise.all(lookups)) expect(error.name).toBe('AbortError');

      const control = rejectionOf(resolver.lookup('shared-control.test'));
      await within(server.receivedQueries('shared-control.test', 4), 5_000, 'the retransmission');
      expect(server.queries(name)).toBe(2);
      await control;
    });
  });

  describe('the hosts file', () => {
    it('given a hosts entry for a name DNS also knows, when looked up, then the hosts entry wins and DNS is not asked', async () => {
      writeFileSync(
        hostsFile,
        [
          '# comment line',
          '10.9.8.7   Good.test  alias.test   # trailing comment',
          'fd00::7    good.test',
          'not-an-ip  broken.test',
        ].join('\n'),
      );
      const before = server.queries('good.test');

      const resolver = resolverWith();

      expect(await resolver.lookup('good.test')).toEqual([
        { address: '10.9.8.7', family: 4 },
        { address: 'fd00::7', family: 6 },
      ]);
      expect(await resolver.lookup('ALIAS.test')).toEqual([{ address: '10.9.8.7', family: 4 }]);
      expect(server.queries('good.test')).toBe(before);
    });

    it('given the hosts file changes, when the check interval has passed, then the new entries are used', async () => {
      writeFileSync(hostsFile, '10.0.0.1 moving.test\n');
      const resolver = resolverWith({ hostsCheckIntervalMs: 30_000 });
      expect(await resolver.lookup('moving.test')).toEqual([{ address: '10.0.0.1', family: 4 }]);

      writeFileSync(hostsFile, '10.0.0.222 moving.test\n');
      clock += 1_000;
      expect((await resolver.lookup('moving.test'))[0].address).toBe('10.0.0.1');

      clock += 30_000;
      expect((await resolver.lookup('moving.test'))[0].address).toBe('10.0.0.222');
    });

    it('given a hosts file without the name, when looked up, then DNS answers', async () => {
      writeFileSync(hostsFile, '10.9.8.7 other.test\n');

      expect((await resolverWith().lookup('good.test'))[0].address).toBe('192.0.2.10');
    });

    it('given no hosts file and no entry for localhost, when localhost is looked up, then it is loopback without asking DNS', async () => {
      const before = server.received.length;

      const addresses = await resolverWith({ hostsFile: join(dir, 'missing') }).lookup('localhost');

      expect(addresses).toEqual([
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ]);
      expect(server.received.length).toBe(before);
    });

    it('given the system hosts file, when localhost is looked up, then its entry is used', async () => {
      const system = readFileSync('/etc/hosts', 'utf8');
      const resolver = new DnsResolver({ servers: [server.address] });
      resolvers.push(resolver);

      const addresses = await resolver.lookup('localhost');

      expect(addresses.length).toBeGreaterThan(0);
      for (const { address } of addresses) expect(system).toContain(address);
    });
  });
});
