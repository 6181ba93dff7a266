import type { AppConfig } from '@app/config';
import {
  type ClientRequest,
  type ClientRequestArgs,
  Agent as HttpAgent,
  type IncomingMessage,
  request as httpRequest,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { constants as zlib, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { RESPONSE_BODY_LIMIT_BYTES } from '../storage/delivery.documents';
import { AddressPolicy } from './address-policy';
import { DnsLookupError, DnsTimeoutError } from './dns-errors';
import { DnsResolver, DnsResolverOptions } from './dns-resolver';
import { ForbiddenAddressError, guardedLookup } from './guarded-lookup';
import { PinnedAnswers } from './pinned-answers';

export interface HttpSenderOptions {
  /** The whole attempt: connecting, sending, the response headers and the (cut) body. */
  timeoutMs: number;
  addressPolicy: AddressPolicy;
  /** PEM certificate(s) trusted in addition to Node's root certificates (`DELIVERY_TLS_CA_FILE`). */
  extraCaPem?: string;
  /** Whether plain `http://` targets may be sent to (`WEBHOOKS_ALLOW_HTTP`). */
  allowHttp: boolean;
  /** Open connections at once, over all receivers, per protocol. */
  maxSockets?: number;
  /** How receivers' host names are resolved (`DELIVERY_DNS_*`); the defaults otherwise. */
  dns?: DnsResolverOptions;
}

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  /** Sent byte for byte: the signature covers exactly this. */
  body: string;
}

/** `gone` is the receiver's 410: it asks never to be sent this webhook again. */
export type SendOutcome = 'succeeded' | 'failed' | 'gone';

export interface SendResult {
  outcome: SendOutcome;
  /** null when no complete response arrived (network error, timeout, TLS, refused by the guard). */
  responseStatus: number | null;
  /** The start of the body, at most RESPONSE_BODY_LIMIT_BYTES, utf-8 decoded. */
  responseBody: string | null;
  durationMs: number;
  /** Why the attempt failed, in words; null on success. */
  error: string | null;
  /** What the receiver asked for with `Retry-After` on a 429 or 503; null otherwise. */
  retryAfterSeconds: number | null;
}

/** The attempt took longer than `DELIVERY_TIMEOUT_MS` in all. */
export class AttemptTimeoutError extends Error {
  override readonly name = 'AttemptTimeoutError';
  constructor(timeoutMs: number, phase: string) {
    super(`timed out after ${timeoutMs} ms${phase}`);
  }
}

/** A plain `http://` target while `WEBHOOKS_ALLOW_HTTP` is false. */
export class PlainHttpNotAllowedError extends Error {
  override readonly name = 'PlainHttpNotAllowedError';
  constructor() {
    super('refused: plain http:// is not allowed (WEBHOOKS_ALLOW_HTTP is false)');
  }
}

/** The target URL cannot be sent to at all: unparseable, or neither http nor https. */
export class InvalidTargetUrlError extends Error {
  override readonly name = 'InvalidTargetUrlError';
}

const TLS_ERROR_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_OSSL)/;

/**
 * Sends one delivery attempt. It never throws for a failed attempt: every way an attempt can go wrong
 * (the guard, DNS, TCP, TLS, a timeout, a non-2xx answer) becomes a SendResult with the reason in
 * words, for the delivery log and the retry decision.
 *
 * Receivers are not trusted: the SSRF guard checks every address connected to, redirects are never
 * followed (a redirect could lead past the guard, and the receiver should fix its URL), only the
 * first 4 KiB of a response are read, and one deadline covers the whole attempt, including a body
 * that trickles in or never ends.
 */
export class HttpSender {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private readonly resolver: DnsResolver;
  private readonly pinned: PinnedAnswers;

  constructor(private readonly options: HttpSenderOptions) {
    this.resolver = new DnsResolver(options.dns);
    this.pinned = new PinnedAnswers(this.resolver);
    const lookupFor = (port: number) => guardedLookup(options.addressPolicy, this.pinned, port);
    const maxSockets = options.maxSockets ?? 256;
    // Keep-alive: most deliveries go to a few receivers again and again; reusing connections
    // saves a TCP and TLS handshake per attempt. Idle sockets are dropped after 4 s, before the
    // common 5 s server keep-alive limit, so an attempt rarely picks a socket the server just closed.
    const pool = {
      keepAlive: true,
      maxSockets,
      maxTotalSockets: maxSockets,
      // Node keeps only 256 idle sockets by default: with more in flight, every attempt past that
      // would open (and handshake) a fresh connection.
      maxFreeSockets: maxSockets,
      timeout: 4_000,
    };
    this.httpAgent = guardConnections(new HttpAgent(pool), lookupFor);
    this.httpsAgent = guardConnections(
      new HttpsAgent({
        ...pool,
        // Passing `ca` replaces Node's trust store, so the roots are passed along with the extra CA.
        ca: options.extraCaPem ? [...rootCertificates, options.extraCaPem] : undefined,
      }),
      lookupFor,
    );
  }

  static fromConfig(
    config: Pick<
      AppConfig,
      | 'deliveryTimeoutMs'
      | 'deliveryAllowedCidrs'
      | 'deliveryTlsCaPem'
      | 'webhooksAllowHttp'
      | 'deliveryConcurrency'
      | 'deliveryDnsTimeoutMs'
      | 'deliveryDnsCacheSeconds'
      | 'deliveryDnsServers'
    >,
  ): HttpSender {
    return new HttpSender({
      timeoutMs: config.deliveryTimeoutMs,
      addressPolicy: AddressPolicy.fromConfig(config),
      extraCaPem: config.deliveryTlsCaPem,
      allowHttp: config.webhooksAllowHttp,
      // A socket per attempt in flight.
      maxSockets: config.deliveryConcurrency,
      dns: {
        timeoutMs: config.deliveryDnsTimeoutMs,
        cacheSeconds: config.deliveryDnsCacheSeconds,
        servers: config.deliveryDnsServers,
      },
    });
  }

  async send(request: SendRequest): Promise<SendResult> {
    const startedAt = performance.now();
    const elapsed = () => Math.round(performance.now() - startedAt);
    const { timeoutMs } = this.options;
    let phase = '';
    let timedOut = false;
    // Ends what the attempt is waiting for when its deadline passes: the DNS lookup, then the
    // request. Not one AbortController for all: a signal and its listeners on every request were
    // 3% of the worker's CPU at 1,000 attempts/s, and most targets need no lookup of ours.
    let cancel = () => {};
    let releaseAnswer = () => {};
    // What the name resolved to: never told in the attempt's error (see withoutAddresses).
    let resolved: { host: string; addresses: readonly string[] } | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      cancel();
    }, timeoutMs);

    try {
      const target = this.checkTarget(request.url);
      const host = hostOf(target);
      if (isIP(host) === 0) {
        // Resolved here, under the attempt's signal, so the attempt's deadline also ends a lookup
        // whose DNS server never answers (and says so). The connection's lookup (the guard, which
        // checks it) is then served this same answer.
        phase = ` waiting for the DNS answer for ${host}`;
        const lookup = new AbortController();
        cancel = () => lookup.abort();
        const addresses = await this.resolver.lookup(host, { signal: lookup.signal });
        releaseAnswer = this.pinned.pin(host, addresses);
        resolved = { host, addresses: addresses.map((entry) => entry.address) };
        phase = '';
      }
      const response = await this.post(target, request, (outgoing) => {
        // Destroying the request ends its connection, and with it a response still being read.
        cancel = () => outgoing.destroy(new Error('the attempt timed out'));
      });
      phase = ` reading the response body (HTTP ${response.statusCode})`;
      const responseBody = await readStart(decoded(response), RESPONSE_BODY_LIMIT_BYTES);
      return { ...judge(response, responseBody), durationMs: elapsed() };
    } catch (error) {
      const failure = timedOut ? new AttemptTimeoutError(timeoutMs, phase) : error;
      return {
        outcome: 'failed',
        responseStatus: null,
        responseBody: null,
        durationMs: elapsed(),
        error: withoutAddresses(describeError(failure), resolved),
        retryAfterSeconds: null,
      };
    } finally {
      clearTimeout(timer);
      releaseAnswer();
    }
  }

  /**
   * One POST with Node's own client (an HTTP library's option merging cost more CPU than the
   * request itself at thousands of attempts a second). Node's client never follows redirects and
   * never uses an HTTP(S)_PROXY from the environment (which would be connected to instead of the
   * receiver, past the guard). Resolves with the response head; the body is left to be read.
   */
  private post(
    url: URL,
    request: SendRequest,
    started: (outgoing: ClientRequest) => void,
  ): Promise<IncomingMessage> {
    const https = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const outgoing = (https ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        // Sent byte for byte: the signature covers exactly these bytes.
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        agent: https ? this.httpsAgent : this.httpAgent,
      });
      started(outgoing);
      outgoing.once('response', resolve);
      outgoing.once('error', reject);
      // As a string, so Node writes the head and the body in one go (utf-8: the signed bytes).
      outgoing.end(request.body, 'utf8');
    });
  }

  /** Closes idle keep-alive connections, e.g. at shutdown. Attempts in flight are cut. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    this.resolver.close();
  }

  /**
   * Node calls the guarded lookup only for host names, never for IP literals, so literals are
   * checked here; names are checked on every connection by the agents' lookup. Returns the URL.
   */
  private checkTarget(url: string): URL {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InvalidTargetUrlError(`invalid URL: ${url}`);
    }
    if (parsed.protocol === 'http:') {
      if (!this.options.allowHttp) throw new PlainHttpNotAllowedError();
    } else if (parsed.protocol !== 'https:') {
      throw new InvalidTargetUrlError(`unsupported URL scheme ${parsed.protocol}`);
    }
    const host = hostOf(parsed);
    if (isIP(host) !== 0) {
      const verdict = this.options.addressPolicy.check(host, { host, port: portOf(parsed) });
      if (!verdict.allowed) throw ForbiddenAddressError.forLiteral(host, verdict.description);
    }
    return parsed;
  }
}

/**
 * The body as the receiver meant it. No Accept-Encoding is sent, but some servers compress anyway;
 * what is kept for auditors should be readable. Flushed as it comes, so the start of a body that
 * is cut off (or never ends) still decodes.
 */
function decoded(response: IncomingMessage): Readable {
  const flush = { flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH };
  const encoding = headerText(response.headers['content-encoding'])?.trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip(flush)
      : encoding === 'deflate'
        ? createInflate(flush)
        : encoding === 'br'
          ? createBrotliDecompress({
              flush: zlib.BROTLI_OPERATION_FLUSH,
              finishFlush: zlib.BROTLI_OPERATION_FLUSH,
            })
          : undefined;
  if (!decoder) return response;
  // Leaving the read loop destroys the decoder; the response (and its socket) must go with it.
  decoder.once('close', () => response.destroy());
  response.on('error', (error) => decoder.destroy(error));
  return response.pipe(decoder);
}

/**
 * Every connection an agent opens resolves through a guarded lookup made for that connection's
 * port: Node does not tell a lookup the port, and an exemption may hold for one port only. The
 * agents pool sockets by host and port, so a reused socket was checked for the same ones.
 */
function guardConnections<A extends HttpAgent>(
  agent: A,
  lookupFor: (port: number) => LookupFunction,
): A {
  const connect = agent.createConnection.bind(agent);
  agent.createConnection = (options: ClientRequestArgs, callback) =>
    connect({ ...options, lookup: lookupFor(Number(options.port)) }, callback);
  return agent;
}

/** The port connected to: the URL's, or the scheme's default. */
function portOf(url: URL): number {
  return url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/**
 * An attempt's error without the addresses its host name resolved to: Node names the address it
 * failed to connect to (`connect ECONNREFUSED 10.1.2.3:8443`), and the error is shown to admins
 * and auditors, who are not meant to read the internal DNS. The host name stands in for them.
 */
function withoutAddresses(
  text: string,
  resolved: { host: string; addresses: readonly string[] } | undefined,
): string {
  if (!resolved) return text;
  const { host } = resolved;
  // Longest first, so that no address is cut out of a longer one that contains it.
  const addresses = [...resolved.addresses].sort((a, b) => b.length - a.length);
  const scrub = (piece: string) =>
    addresses.reduce((result, address) => result.split(address).join(host), piece);
  // The host itself is left as it is, even when an address is part of it (10.1.2.3.nip.io).
  return text.split(host).map(scrub).join(host);
}

/** The host name or IP literal (an IPv6 literal without its brackets). */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Reads at most `limit` bytes of the body. Leaving the loop early destroys the stream and with it
 * the socket, so a receiver answering with gigabytes costs 4 KiB and a closed connection.
 */
async function readStart(body: Readable, limit: number): Promise<string> {
  // Late errors (an abort after the head arrived) must not become unhandled 'error' events.
  body.on('error', () => undefined);
  // A character cut in half at the limit is dropped, not turned into garbage: only write(), no end().
  const decoder = new StringDecoder('utf8');
  let text = '';
  let received = 0;
  for await (const chunk of body) {
    const piece = (chunk as Buffer).subarray(0, limit - received);
    text += decoder.write(piece);
    received += piece.length;
    if (received >= limit) break;
  }
  return text;
}

/** What a complete answer means: any 2xx is accepted, 410 asks to stop, everything else failed. */
function judge(response: IncomingMessage, responseBody: string): Omit<SendResult, 'durationMs'> {
  const status = response.statusCode ?? 0;
  const retryAfterSeconds =
    status === 429 || status === 503 ? parseRetryAfter(response.headers['retry-after']) : null;
  const answer = (outcome: SendOutcome, error: string | null): Omit<SendResult, 'durationMs'> => ({
    outcome,
    responseStatus: status,
    responseBody,
    error,
    retryAfterSeconds,
  });
  if (status >= 200 && status < 300) return answer('succeeded', null);
  if (status >= 300 && status < 400) {
    const location = headerText(response.headers.location);
    return answer(
      'failed',
      location
        ? `redirect to ${location} not followed`
        : `HTTP ${status}: a redirect without a location, not followed`,
    );
  }
  const statusText = response.statusMessage ? ` ${response.statusMessage}` : '';
  return answer(status === 410 ? 'gone' : 'failed', `HTTP ${status}${statusText}`);
}

/** `Retry-After` is either whole seconds or an HTTP date (RFC 9110 §10.2.3); anything else is ignored. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | null {
  const text = headerText(value)?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function headerText(value: unknown): string | undefined {
  if (Array.isArray(value)) return headerText(value[0]);
  return typeof value === 'string' ? value : undefined;
}

function describeError(error: unknown): string {
  if (
    error instanceof AttemptTimeoutError ||
    error instanceof PlainHttpNotAllowedError ||
    error instanceof InvalidTargetUrlError
  ) {
    return error.message;
  }
  // Node passes the lookup's error (the guard's, the resolver's) on as is, or as a cause.
  const cause = (error as { cause?: unknown }).cause;
  for (const candidate of [error, cause]) {
    if (
      candidate instanceof ForbiddenAddressError ||
      candidate instanceof DnsLookupError ||
      candidate instanceof DnsTimeoutError
    ) {
      return candidate.message;
    }
  }
  const { code, message } = error as { code?: string; message?: string };
  const text = message || String(error);
  if (code && TLS_ERROR_CODE.test(code)) return `TLS: ${text} (${code})`;
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused (${text})`;
    case 'ECONNRESET':
      return `connection reset by the receiver (${text})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `DNS lookup failed (${text})`;
    default:
      return code && !text.includes(code) ? `${text} (${code})` : text;
  }
}
