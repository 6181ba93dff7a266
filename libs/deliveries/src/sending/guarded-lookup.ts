import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { AddressPolicy } from './address-policy';
import { DnsLookupError } from './dns-errors';
import type { HostResolver } from './dns-resolver';

/** The SSRF guard refused the address a webhook URL points to; no connection was made. */
export class ForbiddenAddressError extends Error {
  override readonly name = 'ForbiddenAddressError';
  readonly code = 'ERR_FORBIDDEN_ADDRESS';

  private constructor(
    readonly host: string,
    message: string,
  ) {
    super(message);
  }

  /** A URL whose host is this IP: the admin wrote it, so it may be named. */
  static forLiteral(ip: string, description: string): ForbiddenAddressError {
    return new ForbiddenAddressError(ip, `refused: ${ip} is ${description} (SSRF guard)`);
  }

  /**
   * A host name whose every address is refused. The addresses are not named, here or in any field:
   * the message ends up in the delivery log, and a webhook pointed at internal names would
   * otherwise read the internal DNS out through it.
   */
  static forHostName(host: string, category: string): ForbiddenAddressError {
    return new ForbiddenAddressError(host, `refused: ${host} resolves to ${category} (SSRF guard)`);
  }
}

/**
 * A `lookup` for http(s) Agents that resolves through `resolver` (no thread pool, cached) and then
 * applies the SSRF guard. Checking inside the lookup, rather than resolving once up front and then
 * connecting, means the address checked is the address the socket connects to: a name whose DNS
 * answer changes between a check and the connection (DNS rebinding) cannot slip through.
 *
 * Forbidden addresses are dropped from the answer; only when none is left does it fail, with a
 * ForbiddenAddressError for the first one. Node never calls `lookup` for an IP literal host, so the
 * sender checks those itself.
 */
export function guardedLookup(policy: AddressPolicy, resolver: HostResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolver.lookup(hostname).then(
      (addresses) => {
        const wanted = wantedFamily(options.family);
        const allowed: LookupAddress[] = [];
        let firstRefusal: ForbiddenAddressError | undefined;
        for (const entry of addresses) {
          if (wanted !== 0 && entry.family !== wanted) continue;
          const verdict = policy.check(entry.address);
          if (verdict.allowed) allowed.push(entry);
          else firstRefusal ??= ForbiddenAddressError.forHostName(hostname, verdict.category);
        }
        if (allowed.length === 0) {
          return callback(firstRefusal ?? DnsLookupError.noAddress(hostname), '');
        }
        if (options.all) return callback(null, allowed);
        callback(null, allowed[0].address, allowed[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

/** 4, 6, or 0 for either; Node passes numbers, or 'IPv4' / 'IPv6'. */
function wantedFamily(family: LookupOptions['family']): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}
