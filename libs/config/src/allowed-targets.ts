import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

/**
 * One entry of DELIVERY_ALLOWED_CIDRS: what the SSRF guard lets through although it is not public.
 *
 * - `network`: an address range (a single address is a /32 or /128), on `port` only, or on every
 *   port when `port` is null (the old, broad form `10.0.0.0/8`).
 * - `host`: an exact host name (lower case, as URLs write it; no trailing dot): whatever it
 *   resolves to, for that name only, on `port` only or on every port.
 */
export type AllowedTarget =
  | { kind: 'network'; address: string; prefix: number; port: number | null }
  | { kind: 'host'; host: string; port: number | null };

export type ParsedTarget = { ok: true; target: AllowedTarget } | { ok: false; reason: string };

export type ParsedTargets = { ok: true; targets: AllowedTarget[] } | { ok: false; reason: string };

/**
 * DELIVERY_ALLOWED_CIDRS, comma-separated: `CIDR`, `CIDR:port` (`[fd00::/8]:8443` for IPv6),
 * an address with or without `:port` (`[fd00::1]:443`), `host` or `host:port`. Empty entries are
 * skipped. Fails with the first bad entry, named, and why.
 */
export function parseAllowedTargets(value: string): ParsedTargets {
  const targets: AllowedTarget[] = [];
  for (const entry of value.split(',').map((item) => item.trim())) {
    if (entry === '') continue;
    const parsed = parseAllowedTarget(entry);
    if (!parsed.ok) return { ok: false, reason: `${JSON.stringify(entry)}: ${parsed.reason}` };
    targets.push(parsed.target);
  }
  return { ok: true, targets };
}

const PORT = /^\d{1,5}$/;
/** Letters, digits, `-` and `_` (seen in internal names), dot-separated; an optional final dot. */
const HOST_NAME =
  /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.?$/i;
/** A last label URLs read as a number (`2130706433`, `0x7f000001`, `127.1`): an address, not a name. */
const NUMERIC_LABEL = /(?:^|\.)(?:0x[0-9a-f]*|\d+)\.?$/i;

export function parseAllowedTarget(entry: string): ParsedTarget {
  // [IPv6 or IPv6 CIDR] with an optional :port.
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(entry);
  if (bracketed) {
    const [, inside, port] = bracketed;
    if (isIP(inside.split('/')[0]) === 4) {
      return { ok: false, reason: 'brackets are for IPv6 only; write IPv4 as 10.0.0.0/8:443' };
    }
    return withPort(network(inside, 6), port);
  }
  // 10.0.0.0/8, 10.0.0.0/8:443, fd00::/8 (and fd00::/8:443, though brackets read better).
  const cidr = /^([0-9a-f:.]+\/\d*)(?::(.*))?$/i.exec(entry);
  if (cidr) return withPort(network(cidr[1]), cidr[2]);
  if (isIP(entry) !== 0) return withPort(network(entry), undefined);
  const ipv4WithPort = /^([\d.]+):(.*)$/.exec(entry);
  if (ipv4WithPort && isIP(ipv4WithPort[1]) === 4) {
    return withPort(network(ipv4WithPort[1]), ipv4WithPort[2]);
  }

  const hostForm = /^([^:/\s]+)(?::(\d+))?$/.exec(entry);
  // Non-ASCII names are checked as URLs write them (punycode, lower case).
  const ascii = hostForm ? domainToASCII(hostForm[1]) || hostForm[1] : '';
  if (!hostForm || !HOST_NAME.test(ascii)) {
    return {
      ok: false,
      reason: 'not a CIDR, an IP address or a host name (no scheme, path or wildcard)',
    };
  }
  return hostTarget(ascii, hostForm[2]);
}

function hostTarget(name: string, port: string | undefined): ParsedTarget {
  if (NUMERIC_LABEL.test(name)) {
    return {
      ok: false,
      reason: 'an IP address in a form URLs rewrite; write it as 127.0.0.1 or as a CIDR',
    };
  }
  const host = name.toLowerCase().replace(/\.$/, '');
  return withPort({ ok: true, target: { kind: 'host', host, port: null } }, port);
}

function network(text: string, family?: 4 | 6): ParsedTarget {
  const [address, prefixText, ...rest] = text.split('/');
  const kind = isIP(address);
  const max = kind === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  const valid =
    kind !== 0 &&
    (family === undefined || kind === family) &&
    rest.length === 0 &&
    (prefixText === undefined || /^\d{1,3}$/.test(prefixText)) &&
    prefix <= max;
  if (!valid) return { ok: false, reason: 'not a valid CIDR or IP address' };
  return { ok: true, target: { kind: 'network', address, prefix, port: null } };
}

function withPort(parsed: ParsedTarget, port: string | undefined): ParsedTarget {
  if (!parsed.ok || port === undefined) return parsed;
  const number = Number(port);
  if (!PORT.test(port) || number < 1 || number > 65535) {
    return { ok: false, reason: 'the port must be 1 to 65535' };
  }
  return { ok: true, target: { ...parsed.target, port: number } };
}
