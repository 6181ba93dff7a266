import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { AddressPolicy } from './address-policy';

/** The SSRF guard refused the address a webhook URL points to; no connection was made. */
export class ForbiddenAddressError extends Error {
  override readonly name = 'ForbiddenAddressError';
  readonly code = 'ERR_FORBIDDEN_ADDRESS';

  constructor(
    readonly host: string,
    readonly address: string,
    description: string,
  ) {
    super(
      host === address
        ? `refused: ${address} is ${description} (SSRF guard)`
        : `refused: ${host} resolves to ${address}, ${description} (SSRF guard)`,
    );
  }
}

/**
 * A `lookup` for http(s) Agents that resolves names like Node does and then applies the SSRF guard.
 * Checking inside the lookup, rather than resolving once up front and then connecting, means the
 * address checked is the address the socket connects to: a name whose DNS answer changes between a
 * check and the connection (DNS rebinding) cannot slip through.
 *
 * Forbidden addresses are dropped from the answer; only when none is left does it fail, with a
 * ForbiddenAddressError for the first one. Node never calls `lookup` for an IP literal host, so the
 * sender checks those itself.
 */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    // Always ask for every address, so one forbidden record among several does not fail the send.
    dnsLookup(hostname, { ...toDnsOptions(options), all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const allowed: LookupAddress[] = [];
      let firstRefusal: ForbiddenAddressError | undefined;
      for (const entry of addresses) {
        const verdict = policy.check(entry.address);
        if (verdict.allowed) allowed.push(entry);
        else
          firstRefusal ??= new ForbiddenAddressError(hostname, entry.address, verdict.description);
      }
      if (allowed.length === 0) {
        return callback(
          firstRefusal ??
            Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }),
          '',
        );
      }
      if (options.all) return callback(null, allowed);
      callback(null, allowed[0].address, allowed[0].family);
    });
  };
}

/** The caller's resolution preferences (family, hints, order), without `all`; unset ones left out. */
function toDnsOptions(options: LookupOptions): LookupOptions {
  const { family, hints, order, verbatim } = options;
  return Object.fromEntries(
    Object.entries({ family, hints, order, verbatim }).filter(([, value]) => value !== undefined),
  );
}
