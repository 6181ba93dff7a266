import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export const SYSTEM_HOSTS_FILE = '/etc/hosts';

/**
 * The hosts file, read by us: c-ares' `resolve4`/`resolve6` ask DNS servers only, while the system
 * lookup this replaces answered from /etc/hosts first (localhost, container and compose names,
 * operators' overrides).
 *
 * Checked for changes lazily, at a lookup, at most every `checkIntervalMs`: a stat, and a new read
 * only when the file's identity, size or modification time changed. No watcher: /etc/hosts is often
 * replaced rather than written (editors, container runtimes bind-mount it), which file watches miss,
 * and a lazy check needs no timer to clean up. The stat and read are synchronous on purpose: a small
 * local file, at most once per interval, and the asynchronous fs calls would go through the libuv
 * thread pool, which the resolver exists to stay off.
 */
export class HostsFile {
  private table = new Map<string, ResolvedAddress[]>();
  private checkedAt = Number.NEGATIVE_INFINITY;
  private version = '';

  constructor(
    private readonly path: string,
    private readonly checkIntervalMs: number,
    private readonly now: () => number,
  ) {}

  /** The file's addresses for a (lower-case) name, IPv4 first, in file order; undefined if none. */
  lookup(name: string): ResolvedAddress[] | undefined {
    this.refreshIfDue();
    return this.table.get(name);
  }

  private refreshIfDue(): void {
    const now = this.now();
    if (now - this.checkedAt < this.checkIntervalMs) return;
    this.checkedAt = now;
    let version: string;
    try {
      const stat = statSync(this.path);
      version = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      // No hosts file (or unreadable): every name goes to DNS.
      this.table = new Map();
      this.version = '';
      return;
    }
    if (version === this.version) return;
    try {
      this.table = parseHosts(readFileSync(this.path, 'utf8'));
      this.version = version;
    } catch {
      // Replaced between the stat and the read: keep the old table and look again next time.
      this.checkedAt = Number.NEGATIVE_INFINITY;
    }
  }
}

/**
 * hosts(5): an address, then its names, `#` to the end of a line is a comment. Lines whose first
 * field is no IP address are skipped, as the C library does. Names are case-insensitive.
 */
export function parseHosts(text: string): Map<string, ResolvedAddress[]> {
  const table = new Map<string, ResolvedAddress[]>();
  for (const line of text.split(/\r?\n/)) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    const family = isIP(address);
    if (family === 0) continue;
    for (const name of names) {
      const key = name.toLowerCase();
      const entries = table.get(key) ?? [];
      if (!entries.some((entry) => entry.address === address)) {
        entries.push({ address, family: family as 4 | 6 });
      }
      table.set(key, entries);
    }
  }
  for (const [name, entries] of table) table.set(name, ipv4First(entries));
  return table;
}

/** IPv4 before IPv6, otherwise in the given order (a stable sort). */
export function ipv4First(addresses: ResolvedAddress[]): ResolvedAddress[] {
  return [...addresses].sort((a, b) => a.family - b.family);
}
