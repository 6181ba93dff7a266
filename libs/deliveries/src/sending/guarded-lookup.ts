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
   * A host name whose every address is refused. Neither the addresses nor what kind they are
   * (loopback, private, the cloud metadata service) are told, here or in any field: the message
   * ends up in the delivery log, and a webhook pointed at internal names would otherwise read the
   * internal DNS out through it.
   */
  static forHostName(host: string): ForbiddenAddressError {
    return new ForbiddenAddressError(
      host,
      `refused: ${host} resolves to a non-public address (SSRF guard)`,
    );
  }
}

/**
 * A `lookup` for http(s) Agents that resolves through `resolver` (no thread pool, cached) and then
 * applies the SSRF guard. Checking inside the lookup, rather than resolving once up front and then
 * connecting, means the address checked is the address the socket connects to: a name whose DNS
 * answer changes between a check and the connection (DNS rebinding) cannot slip through.
 *
 * Node's lookup is not told the port, so there is one lookup per connection, made for its `port`
 * (the sender's agents do that): an exemption for `10.0.0.0/8:8443` or `receiver.internal:8443`
 * applies to that port only.
 *
 * Forbidden addresses are dropped from the answer; only when none is left does it fail, with a
 * ForbiddenAddressError naming the host only. Node never calls `lookup` for an IP literal host, so
 * the sender checks those itself.
 */
export function guardedLookup(
  policy: AddressPolicy,
  resolver: HostResolver,
  port: number,
): LookupFunction {
  return (hostname, options, callback) => {
    resolver.lookup(hostname).then(
      (addresses) => {
        const wanted = wantedFamily(options.family);
        const allowed: LookupAddress[] = [];
        let refused = false;
        for (const entry of addresses) {
          if (wanted !== 0 && entry.family !== wanted) continue;
          if (policy.check(entry.address, { host: hostname, port }).allowed) allowed.push(entry);
          else refused = true;
        }
        if (allowed.length === 0) {
          const error = refused
            ? ForbiddenAddressError.forHostName(hostname)
            : DnsLookupError.noAddress(hostname);
          return callback(error, '');
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
