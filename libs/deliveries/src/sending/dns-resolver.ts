import { isIP } from 'node:net';
import { DnsFailure, DnsLookupError, DnsTimeoutError, LookupAbortedError } from './dns-errors';
import { DnsAnswer, DnsQuery, queryAddresses } from './dns-query';
import { HostsFile, ResolvedAddress, SYSTEM_HOSTS_FILE } from './hosts-file';

export type { ResolvedAddress } from './hosts-file';

/** Resolves a host name to the addresses to connect to (what `guardedLookup` asks). */
export interface HostResolver {
  lookup(hostname: string, options?: { signal?: AbortSignal }): Promise<ResolvedAddress[]>;
}

export interface DnsResolverOptions {
  /** One lookup, both families, retransmissions included (`DELIVERY_DNS_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** Upper bound on how long an answer is reused, below its TTL; 0: never (`DELIVERY_DNS_CACHE_SECONDS`). */
  cacheSeconds?: number;
  /** `ip` or `ip:port`; unset: the system's resolv.conf servers (`DELIVERY_DNS_SERVERS`). */
  servers?: readonly string[];
  /** For tests; /etc/hosts otherwise. */
  hostsFile?: string;
  /** How often the hosts file is looked at for changes. */
  hostsCheckIntervalMs?: number;
  /** Milliseconds now, for the caches; tests pass a clock they move. */
  now?: () => number;
}

export const DEFAULT_DNS_TIMEOUT_MS = 5_000;
export const DEFAULT_DNS_CACHE_SECONDS = 30;

/**
 * How long a failed lookup (NXDOMAIN, no address, SERVFAIL, timeout) is remembered. Attempts to one
 * webhook come in bursts (up to DELIVERY_CONCURRENCY_PER_ENDPOINT at once, then its queue): for a
 * dead name a few seconds collapse a burst into one query, and a stalled name costs one timeout per
 * period instead of one per attempt. Short, because the answer may change any moment (a name just
 * created, a DNS server back up), and the cost is only that retries within those seconds fail
 * without asking again.
 */
export const FAILURE_CACHE_SECONDS = 5;

const HOSTS_CHECK_INTERVAL_MS = 30_000;
/** Beyond this many cached names, expired ones are dropped, then the oldest. */
const MAX_CACHED_NAMES = 10_000;

type CacheEntry =
  { expiresAt: number; addresses: ResolvedAddress[] } | { expiresAt: number; failure: DnsFailure };

interface SharedQuery {
  query: DnsQuery;
  /** Callers still waiting; the query is cancelled when the last one has aborted. */
  waiting: number;
}

/**
 * Resolves webhook host names without the libuv thread pool. `dns.lookup` (getaddrinfo) holds one of
 * the pool's 4 threads for as long as a DNS server takes, and an aborted attempt does not get it back:
 * one receiver whose DNS server never answers would stall every other receiver's lookups, and with
 * them zlib, fs and the database and Kafka clients' own lookups.
 *
 * In order: IP literals as they are; the hosts file; `localhost` names (RFC 6761: loopback, never
 * asked of DNS); the cache; otherwise a c-ares query (see `queryAddresses`). Concurrent lookups of
 * one name share one query; a caller's abort only lets go of it, and the query is cancelled when no
 * caller is left.
 */
export class DnsResolver implements HostResolver {
  private readonly timeoutMs: number;
  private readonly cacheMs: number;
  private readonly servers?: readonly string[];
  private readonly now: () => number;
  private readonly hosts: HostsFile;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, SharedQuery>();

  constructor(options: DnsResolverOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DNS_TIMEOUT_MS;
    this.cacheMs = (options.cacheSeconds ?? DEFAULT_DNS_CACHE_SECONDS) * 1000;
    this.servers = options.servers?.length ? options.servers : undefined;
    this.now = options.now ?? Date.now;
    this.hosts = new HostsFile(
      options.hostsFile ?? SYSTEM_HOSTS_FILE,
      options.hostsCheckIntervalMs ?? HOSTS_CHECK_INTERVAL_MS,
      this.now,
    );
  }

  /**
   * The addresses for `hostname`, IPv4 first. Rejects with a DnsLookupError (ENOTFOUND, EAI_AGAIN),
   * a DnsTimeoutError (ETIMEOUT), or a LookupAbortedError when `signal` fires first.
   */
  async lookup(
    hostname: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<ResolvedAddress[]> {
    const name = hostname
      .replace(/^\[(.*)\]$/, '$1')
      .replace(/\.$/, '')
      .toLowerCase();
    const { signal } = options;
    if (signal?.aborted) throw new LookupAbortedError(name, { cause: signal.reason });

    const family = isIP(name);
    if (family !== 0) return [{ address: name, family: family as 4 | 6 }];
    const fromHosts = this.hosts.lookup(name);
    if (fromHosts) return copy(fromHosts);
    if (name === 'localhost' || name.endsWith('.localhost')) {
      return [
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ];
    }
    const cached = this.fromCache(name);
    if (cached) {
      if ('failure' in cached) throw cached.failure.recalled(FAILURE_CACHE_SECONDS);
      return copy(cached.addresses);
    }
    const shared = this.inFlight.get(name) ?? this.startQuery(name);
    return copy(await this.waitFor(shared, name, signal));
  }

  /** Cancels every query in flight; their callers get a LookupAbortedError. */
  close(): void {
    for (const shared of this.inFlight.values()) shared.query.cancel();
    this.inFlight.clear();
  }

  private startQuery(name: string): SharedQuery {
    const shared: SharedQuery = {
      query: queryAddresses(name, { timeoutMs: this.timeoutMs, servers: this.servers }),
      waiting: 0,
    };
    this.inFlight.set(name, shared);
    // Registered before any caller's handlers, so the cache is filled before a caller goes on.
    shared.query.answer.then(
      (answer) => this.remember(name, answer),
      (error: unknown) => {
        if (error instanceof DnsLookupError || error instanceof DnsTimeoutError) {
          this.store(name, {
            expiresAt: this.now() + FAILURE_CACHE_SECONDS * 1000,
            failure: error,
          });
        }
        // A cancelled query (every caller gone) says nothing about the name: not remembered.
      },
    );
    void shared.query.answer
      .catch(() => undefined)
      .finally(() => {
        if (this.inFlight.get(name) === shared) this.inFlight.delete(name);
      });
    return shared;
  }

  private waitFor(
    shared: SharedQuery,
    name: string,
    signal: AbortSignal | undefined,
  ): Promise<ResolvedAddress[]> {
    shared.waiting += 1;
    // A caller without a signal never leaves, so the query is never cancelled under it.
    if (!signal) return shared.query.answer.then((answer) => answer.addresses);
    return new Promise<ResolvedAddress[]>((resolve, reject) => {
      const onAbort = () => {
        shared.waiting -= 1;
        if (shared.waiting === 0 && this.inFlight.get(name) === shared) {
          this.inFlight.delete(name);
          shared.query.cancel();
        }
        reject(new LookupAbortedError(name, { cause: signal.reason }));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      shared.query.answer.then(
        (answer) => {
          signal.removeEventListener('abort', onAbort);
          resolve(answer.addresses);
        },
        (error: Error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  private remember(name: string, answer: DnsAnswer): void {
    const keepMs = Math.min(answer.ttlSeconds * 1000, this.cacheMs);
    if (keepMs > 0) {
      this.store(name, { expiresAt: this.now() + keepMs, addresses: answer.addresses });
    }
  }

  private fromCache(name: string): CacheEntry | undefined {
    const entry = this.cache.get(name);
    if (entry && entry.expiresAt > this.now()) return entry;
    if (entry) this.cache.delete(name);
    return undefined;
  }

  private store(name: string, entry: CacheEntry): void {
    this.cache.delete(name); // re-inserted at the end: the Map's order is the age order
    if (this.cache.size >= MAX_CACHED_NAMES) {
      const now = this.now();
      for (const [key, old] of this.cache) if (old.expiresAt <= now) this.cache.delete(key);
      if (this.cache.size >= MAX_CACHED_NAMES) {
        this.cache.delete(this.cache.keys().next().value as string);
      }
    }
    this.cache.set(name, entry);
  }
}

/** Callers get their own array, so none can change what the cache holds. */
function copy(addresses: ResolvedAddress[]): ResolvedAddress[] {
  return addresses.map((entry) => ({ ...entry }));
}
