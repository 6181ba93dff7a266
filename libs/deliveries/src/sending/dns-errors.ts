/*
 * Why a host name could not be resolved. The codes are the ones Node's own lookup uses, so whoever
 * reads `code` (the sender's error descriptions, logs) treats them alike. Messages name the host and
 * never an address: neither what internal DNS answered nor which DNS server was asked.
 */

/** Said of a failure served from the failure cache instead of asking again. */
const recalledNote = (seconds: number) =>
  `; the same failure within the last ${seconds} s, not asked again yet`;

/**
 * The name does not resolve: NXDOMAIN, no A or AAAA record, or not a valid DNS name (`ENOTFOUND`),
 * or the DNS server failed to answer it properly, e.g. SERVFAIL or REFUSED (`EAI_AGAIN`: a
 * temporary failure, worth trying again later).
 */
export class DnsLookupError extends Error {
  override readonly name = 'DnsLookupError';

  constructor(
    readonly host: string,
    readonly code: 'ENOTFOUND' | 'EAI_AGAIN',
    readonly reason: string,
    note = '',
  ) {
    super(`DNS lookup failed: ${reason} (${code}${note})`);
  }

  static notFound(host: string): DnsLookupError {
    return new DnsLookupError(host, 'ENOTFOUND', `${host} does not exist`);
  }

  static noAddress(host: string): DnsLookupError {
    return new DnsLookupError(host, 'ENOTFOUND', `${host} has no A or AAAA record`);
  }

  static invalidName(host: string): DnsLookupError {
    return new DnsLookupError(host, 'ENOTFOUND', `${host} is not a valid DNS name`);
  }

  static serverFailure(host: string, what: string): DnsLookupError {
    return new DnsLookupError(host, 'EAI_AGAIN', `${what} for ${host}`);
  }

  recalled(seconds: number): DnsLookupError {
    return new DnsLookupError(this.host, this.code, this.reason, recalledNote(seconds));
  }
}

/** No answer within `DELIVERY_DNS_TIMEOUT_MS`: the name's DNS server does not answer. */
export class DnsTimeoutError extends Error {
  override readonly name = 'DnsTimeoutError';
  readonly code = 'ETIMEOUT';

  constructor(
    readonly host: string,
    readonly timeoutMs: number,
    note = '',
  ) {
    super(`DNS lookup timed out: no answer for ${host} within ${timeoutMs} ms (ETIMEOUT${note})`);
  }

  recalled(seconds: number): DnsTimeoutError {
    return new DnsTimeoutError(this.host, this.timeoutMs, recalledNote(seconds));
  }
}

/** The caller gave up on the lookup (its AbortSignal fired), or the resolver was closed. */
export class LookupAbortedError extends Error {
  // The name AbortSignal users test for (as with fetch and Node's own APIs).
  override readonly name = 'AbortError';
  readonly code = 'ABORT_ERR';

  constructor(
    readonly host: string,
    options?: ErrorOptions,
  ) {
    super(`DNS lookup of ${host} aborted`, options);
  }
}

export type DnsFailure = DnsLookupError | DnsTimeoutError;
