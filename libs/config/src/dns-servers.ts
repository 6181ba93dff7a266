import { isIPv4, isIPv6 } from 'node:net';

/**
 * DELIVERY_DNS_SERVERS: comma-separated `ip` or `ip:port`, IPv6 with a port in brackets
 * (`[2001:db8::53]:5353`), the forms c-ares' `setServers` takes. Addresses only: a server's name
 * would itself need DNS. Returns the entries, trimmed, or null when any is not of that form.
 */
export function parseDnsServers(value: string): string[] | null {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.length > 0 && entries.every(isDnsServer) ? entries : null;
}

function isDnsServer(entry: string): boolean {
  if (isIPv4(entry) || isIPv6(entry)) return true;
  const withPort = /^(?:\[([^\]]+)\]|([\d.]+)):(\d{1,5})$/.exec(entry);
  if (!withPort) return false;
  const [, v6, v4, port] = withPort;
  const portOk = Number(port) >= 1 && Number(port) <= 65535;
  return portOk && (v6 !== undefined ? isIPv6(v6) : isIPv4(v4));
}
