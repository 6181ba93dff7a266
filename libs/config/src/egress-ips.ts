import { isIP } from 'node:net';

/**
 * DELIVERY_EGRESS_IPS, comma-separated: the addresses receivers should allow, each an IP (`203.0.113.7`,
 * `2001:db8::5`) or a CIDR (`198.51.100.0/24`, `2001:db8:10::/48`), as written but trimmed. It is only
 * announced (the api serves it, the admin page shows it); the service does not choose its source
 * address from it. Null when an entry is not an IP or CIDR, or is empty (`a,,b`).
 */
export function parseEgressIps(value: string): string[] | null {
  if (value.trim() === '') return [];
  const entries = value.split(',').map((entry) => entry.trim());
  return entries.every(isIpOrCidr) ? entries : null;
}

function isIpOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}
