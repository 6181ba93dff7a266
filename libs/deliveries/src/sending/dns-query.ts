import { promises as dns, RecordWithTtl } from 'node:dns';
import { DnsFailure, DnsLookupError, DnsTimeoutError, LookupAbortedError } from './dns-errors';
import { ipv4First, ResolvedAddress } from './hosts-file';

export interface DnsQueryOptions {
  /** The whole query, both families, retransmissions included. */
  timeoutMs: number;
  /** `ip` or `ip:port` (`[ipv6]:port`); undefined: the system's (resolv.conf) servers. */
  servers?: readonly string[];
}

export interface DnsAnswer {
  /** IPv4 first, then IPv6, each in the server's order; never empty. */
  addresses: ResolvedAddress[];
  /** The shortest TTL among the records. */
  ttlSeconds: number;
}

/** One query in flight; `cancel()` ends it (the answer then rejects with a LookupAbortedError). */
export interface DnsQuery {
  answer: Promise<DnsAnswer>;
  cancel(): void;
}

/**
 * Once one family has answered, how long the other still gets (RFC 8305's "Resolution Delay"): an
 * answer of either family is enough, so a server that never answers AAAA (common with broken
 * middleboxes) costs 50 ms, not the whole timeout.
 */
const OTHER_FAMILY_GRACE_MS = 50;

/**
 * c-ares waits `timeout` for the first try and doubles it for the next, so with a third of the budget
 * and two tries one lost UDP packet is retransmitted and both tries fit in `timeoutMs`. The deadline
 * of our own is what bounds it (several servers in resolv.conf multiply c-ares' tries).
 */
const TRIES = 2;
const tryTimeoutMs = (timeoutMs: number) => Math.ceil(timeoutMs / 3);

type FamilyResult =
  { family: 4 | 6; records: RecordWithTtl[] } | { family: 4 | 6; code: string | undefined };

/**
 * Asks for A and AAAA at once with c-ares (`dns.promises.Resolver`), which uses sockets on the event
 * loop: unlike `dns.lookup` (getaddrinfo), no libuv thread-pool thread waits for a server that never
 * answers.
 *
 * A Resolver per query, because `cancel()` cancels everything its Resolver has in flight: with one
 * per query, cancelling one host's query (timeout, or every waiter gone) cannot cut another's. A
 * Resolver costs a few microseconds and no socket until it sends.
 */
export function queryAddresses(host: string, options: DnsQueryOptions): DnsQuery {
  const resolver = new dns.Resolver({ timeout: tryTimeoutMs(options.timeoutMs), tries: TRIES });
  if (options.servers) resolver.setServers([...options.servers]);
  let ending: 'timed out' | 'cancelled' | undefined;

  const deadline = setTimeout(() => {
    ending ??= 'timed out';
    resolver.cancel();
  }, options.timeoutMs);

  const answer = bothFamilies(resolver, host)
    .then((results) => {
      const answered = results.filter((result) => 'records' in result && result.records.length);
      if (answered.length > 0) return toAnswer(answered);
      throw failure(host, results, ending, options.timeoutMs);
    })
    .finally(() => clearTimeout(deadline));

  return {
    answer,
    cancel() {
      ending ??= 'cancelled';
      resolver.cancel();
    },
  };
}

async function bothFamilies(resolver: dns.Resolver, host: string): Promise<FamilyResult[]> {
  const settle = (family: 4 | 6, query: Promise<RecordWithTtl[]>): Promise<FamilyResult> =>
    query.then(
      (records) => ({ family, records }),
      (error: NodeJS.ErrnoException) => ({ family, code: error.code }),
    );
  const v4 = settle(4, resolver.resolve4(host, { ttl: true }));
  const v6 = settle(6, resolver.resolve6(host, { ttl: true }));

  const first = await Promise.race([v4, v6]);
  const other = first.family === 4 ? v6 : v4;
  if (!('records' in first) || first.records.length === 0) return [first, await other];

  let graceOver = () => {};
  const grace = setTimeout(() => graceOver(), OTHER_FAMILY_GRACE_MS);
  const late = await Promise.race([
    other,
    new Promise<undefined>((resolve) => (graceOver = () => resolve(undefined))),
  ]);
  clearTimeout(grace);
  if (late) return [first, late];
  resolver.cancel();
  return [first];
}

function toAnswer(answered: FamilyResult[]): DnsAnswer {
  const addresses: ResolvedAddress[] = [];
  let ttlSeconds = Number.POSITIVE_INFINITY;
  for (const result of answered) {
    if (!('records' in result)) continue;
    for (const record of result.records) {
      addresses.push({ address: record.address, family: result.family });
      ttlSeconds = Math.min(ttlSeconds, record.ttl);
    }
  }
  return { addresses: ipv4First(addresses), ttlSeconds };
}

/** What the server said, in words, for the codes c-ares reports (the rest by their code). */
const SERVER_FAILURES: Record<string, string> = {
  ESERVFAIL: 'the DNS server answered SERVFAIL',
  EREFUSED: 'the DNS server refused the query (REFUSED)',
  ECONNREFUSED: 'the DNS server could not be reached (connection refused)',
  EBADRESP: 'the DNS server sent a malformed answer',
  EFORMERR: 'the DNS server could not read the query (FORMERR)',
  ENOTIMP: 'the DNS server does not implement the query (NOTIMP)',
};

/**
 * One failure for both families: a name that does not exist (NXDOMAIN for either family) or has no
 * address at all is ENOTFOUND; a family still waiting when the deadline hit makes it a timeout;
 * anything else the server did is a temporary EAI_AGAIN.
 */
function failure(
  host: string,
  results: FamilyResult[],
  ending: 'timed out' | 'cancelled' | undefined,
  timeoutMs: number,
): DnsFailure | LookupAbortedError {
  const codes = results.map((result) => ('code' in result ? result.code : 'ENODATA'));
  if (codes.includes('ENOTFOUND')) return DnsLookupError.notFound(host);
  if (codes.every((code) => code === 'ENODATA')) return DnsLookupError.noAddress(host);
  if (codes.includes('EBADNAME')) return DnsLookupError.invalidName(host);
  if (codes.includes('ECANCELLED') && ending === 'cancelled') return new LookupAbortedError(host);
  if (codes.includes('ETIMEOUT') || codes.includes('ECANCELLED')) {
    return new DnsTimeoutError(host, timeoutMs);
  }
  const code = codes.find((candidate) => candidate !== 'ENODATA') ?? 'unknown';
  return DnsLookupError.serverFailure(
    host,
    SERVER_FAILURES[code] ?? `the DNS server could not answer (${code})`,
  );
}
