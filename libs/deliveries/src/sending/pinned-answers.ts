import type { HostResolver, ResolvedAddress } from './dns-resolver';

/**
 * The answers that attempts in flight resolved (under their AbortSignal), for their connections'
 * lookups, so a connection uses the very answer its attempt got even when the resolver's cache does
 * not keep it (`DELIVERY_DNS_CACHE_SECONDS=0`, a TTL of 0, an entry expiring in between): no second
 * query, none without the attempt's deadline. Names no attempt holds go to the resolver.
 */
export class PinnedAnswers implements HostResolver {
  private readonly pins = new Map<string, { addresses: ResolvedAddress[]; holders: number }>();

  constructor(private readonly resolver: HostResolver) {}

  /** Holds `addresses` for `host` until the returned release is called (once per pin). */
  pin(host: string, addresses: ResolvedAddress[]): () => void {
    const pin = this.pins.get(host);
    // Two attempts to one host: both answers are fresh; the newer one serves both.
    this.pins.set(host, { addresses, holders: (pin?.holders ?? 0) + 1 });
    return () => {
      const current = this.pins.get(host);
      if (!current) return;
      if (current.holders <= 1) this.pins.delete(host);
      else current.holders -= 1;
    };
  }

  lookup(hostname: string, options?: { signal?: AbortSignal }): Promise<ResolvedAddress[]> {
    const pin = this.pins.get(hostname);
    if (pin) return Promise.resolve(pin.addresses.map((entry) => ({ ...entry })));
    return this.resolver.lookup(hostname, options);
  }
}
