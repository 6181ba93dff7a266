import { AppConfig, ConfigurationError, parseAllowedTarget } from '@app/config';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [Address, number];

/**
 * Where a connection goes: the URL's host (a host name as the URL writes it, or an IP literal
 * without brackets) and the port connected to (the URL's, or 443 / 80).
 */
export interface Destination {
  host: string;
  port: number;
}

/** An entry of DELIVERY_ALLOWED_CIDRS, parsed; `port` null: every port. */
type Exemption =
  | { kind: 'network'; network: Cidr; port: number | null }
  | { kind: 'host'; host: string; port: number | null };

/** Whether one IP may be connected to; when not, why, in words an admin can act on. */
export type AddressVerdict =
  | { allowed: true }
  | {
      allowed: false;
      /**
       * e.g. "a loopback address", to read after "<ip> is". May name an address (IPv6 forms) or
       * tell one (the cloud metadata note): for IP literals only, which the admin wrote. A refused
       * host name is reported without any of it (ForbiddenAddressError.forHostName).
       */
      description: string;
      /** e.g. "127.0.0.1 is a loopback address". */
      reason: string;
    };

const IPV4_DESCRIPTIONS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT (RFC 6598) address',
  private: 'a private (RFC 1918) address',
  reserved: 'a reserved address',
};

const IPV6_DESCRIPTIONS: Record<string, string> = {
  unspecified: 'an unspecified address',
  linkLocal: 'a link-local address',
  multicast: 'a multicast address',
  loopback: 'a loopback address',
  uniqueLocal: 'a unique-local (fc00::/7) address',
  deprecatedSiteLocal: 'a site-local address',
  reserved: 'a reserved address',
};

/**
 * Cloud instance metadata services hand out credentials to anyone on the instance: the prize of most
 * SSRF attacks. They fall in the ranges refused anyway; naming them makes the refusal obvious.
 */
const METADATA_SERVICES = new Set([
  '169.254.169.254', // AWS, GCP, Azure, OpenStack, ...
  '169.254.170.2', // AWS ECS task metadata
  '100.100.100.200', // Alibaba Cloud
  '192.0.0.192', // Oracle Cloud
  'fd00:ec2::254', // AWS over IPv6
]);

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');
const SIX_TO_FOUR = ipaddr.parseCIDR('2002::/16');

/**
 * The SSRF guard: webhook URLs are chosen by admins (or by whoever steals an admin token), and the
 * worker runs inside the operator's network, so without it a webhook could make the worker POST to
 * the database, the cloud metadata service or any internal admin page and show the response in the
 * delivery log. Only public unicast addresses may be connected to, except what
 * `DELIVERY_ALLOWED_CIDRS` allows, which operators use for receivers on their own network (and tests
 * for 127.0.0.1): an address range on one port (`10.1.2.0/24:8443`) or on every port (`10.0.0.0/8`,
 * the broad older form), or an exact host name on one port or every port (`receiver.internal:8443`):
 * whatever that name resolves to, for that name only. An exemption is judged with the destination
 * (the URL's host and port), so exempting one receiver does not open every service in its range.
 * Even an allowed name never reaches an unspecified, broadcast or multicast address, nor a cloud
 * metadata service: no receiver lives there.
 *
 * It is an allow-list of what is public, not a block-list of what is known to be internal: an address
 * range that nobody thought of is refused. IPv6 forms that carry an IPv4 address (IPv4-mapped,
 * IPv4-compatible, IPv4-translated, NAT64, 6to4) are judged by that IPv4 address, since that is where
 * the packets end up.
 */
export class AddressPolicy {
  private readonly allowed: Exemption[];

  constructor(allowedTargets: readonly string[] = []) {
    this.allowed = allowedTargets.map(parseExemption);
  }

  static fromConfig(config: Pick<AppConfig, 'deliveryAllowedCidrs'>): AddressPolicy {
    return new AddressPolicy(config.deliveryAllowedCidrs);
  }

  /**
   * Whether `ip` may be connected to on the way to `destination`. Without a destination only the
   * entries for every port of an address range can allow a non-public address.
   */
  check(ip: string, destination?: Destination): AddressVerdict {
    if (!ipaddr.isValid(ip)) return refuse(ip, 'not an IP address');
    const address = ipaddr.parse(ip);
    const carried = address.kind() === 'ipv6' ? carriedIPv4(address as ipaddr.IPv6) : null;
    // An exemption for 127.0.0.1/32 also covers ::ffff:127.0.0.1: the same destination.
    if (
      this.isExempt(address, destination) ||
      (carried?.sameHost && this.isExempt(carried.ipv4, destination))
    ) {
      return { allowed: true };
    }
    if (
      this.isAllowedHost(destination) &&
      !neverAReceiver(address) &&
      !(carried && neverAReceiver(carried.ipv4))
    ) {
      return { allowed: true };
    }

    if (carried) {
      const inner = describeIPv4(carried.ipv4);
      return inner === null
        ? { allowed: true }
        : refuse(ip, `${carried.form} ${carried.ipv4.toString()}, ${inner}`);
    }
    const description =
      address.kind() === 'ipv4'
        ? describeIPv4(address as ipaddr.IPv4)
        : describeIPv6(address as ipaddr.IPv6);
    return description === null ? { allowed: true } : refuse(ip, description);
  }

  private isExempt(address: Address, destination: Destination | undefined): boolean {
    return this.allowed.some(
      (entry) =>
        entry.kind === 'network' &&
        onPort(entry, destination) &&
        entry.network[0].kind() === address.kind() &&
        address.match(entry.network),
    );
  }

  /** Whether the destination's host name (never an IP literal) is allowed on its port. */
  private isAllowedHost(destination: Destination | undefined): boolean {
    if (!destination) return false;
    const host = normalisedHost(destination.host);
    return this.allowed.some(
      (entry) => entry.kind === 'host' && entry.host === host && onPort(entry, destination),
    );
  }
}

function onPort(entry: Exemption, destination: Destination | undefined): boolean {
  return entry.port === null || entry.port === destination?.port;
}

/** Host names compare as DNS does: without case, `name.` the same as `name`. */
function normalisedHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

/** Addresses no receiver has, whatever a name allowed by host resolves to. */
function neverAReceiver(address: Address): boolean {
  const range = address.range();
  return (
    range === 'unspecified' ||
    range === 'broadcast' ||
    range === 'multicast' ||
    METADATA_SERVICES.has(address.toString())
  );
}

function refuse(ip: string, description: string): AddressVerdict {
  return { allowed: false, description, reason: `${ip} is ${description}` };
}

/** null when the address is public unicast. */
function describeIPv4(address: ipaddr.IPv4): string | null {
  const range = address.range();
  if (range === 'unicast') return null;
  const description = IPV4_DESCRIPTIONS[range] ?? `a special-purpose address (${range})`;
  return withMetadataNote(address, description);
}

/** null when the address is public unicast. */
function describeIPv6(address: ipaddr.IPv6): string | null {
  const range = address.range();
  if (range === 'unicast') {
    // ipaddr calls all unassigned space "unicast"; only 2000::/3 is handed out as global unicast.
    return address.match(GLOBAL_UNICAST_V6) ? null : 'not a global unicast address';
  }
  const description = IPV6_DESCRIPTIONS[range] ?? `a special-purpose address (${range})`;
  return withMetadataNote(address, description);
}

function withMetadataNote(address: Address, description: string): string {
  return METADATA_SERVICES.has(address.toString())
    ? `${description} (cloud metadata service)`
    : description;
}

/**
 * The IPv4 address an IPv6 address carries, if it is of a form that reaches it. `sameHost` when the
 * packets go to that IPv4 host itself (so an exemption of it applies), not merely through it (6to4).
 */
function carriedIPv4(
  address: ipaddr.IPv6,
): { ipv4: ipaddr.IPv4; form: string; sameHost: boolean } | null {
  const parts = address.parts;
  const low32 = () => ipv4Of(parts[6], parts[7]);
  const range = address.range();
  if (range === 'ipv4Mapped') {
    return { ipv4: address.toIPv4Address(), form: 'the IPv4-mapped form of', sameHost: true };
  }
  if (range === 'rfc6145') {
    return { ipv4: low32(), form: 'the IPv4-translated form of', sameHost: true };
  }
  if (address.match(NAT64_WELL_KNOWN)) {
    return { ipv4: low32(), form: 'the NAT64 form of', sameHost: true };
  }
  if (address.match(SIX_TO_FOUR)) {
    return { ipv4: ipv4Of(parts[1], parts[2]), form: 'a 6to4 address via', sameHost: false };
  }
  // ::a.b.c.d, deprecated but still routed to a.b.c.d by some stacks. :: and ::1 are themselves.
  if (range === 'unicast' && parts.slice(0, 6).every((part) => part === 0)) {
    return { ipv4: low32(), form: 'the IPv4-compatible form of', sameHost: true };
  }
  return null;
}

function ipv4Of(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** One DELIVERY_ALLOWED_CIDRS entry; loadConfig checked them already, this is for other callers. */
function parseExemption(entry: string): Exemption {
  const parsed = parseAllowedTarget(entry.trim());
  if (!parsed.ok) {
    throw new ConfigurationError([`DELIVERY_ALLOWED_CIDRS: ${entry} is refused: ${parsed.reason}`]);
  }
  const { target } = parsed;
  if (target.kind === 'host') return target;
  return {
    kind: 'network',
    network: ipaddr.parseCIDR(`${target.address}/${target.prefix}`),
    port: target.port,
  };
}
