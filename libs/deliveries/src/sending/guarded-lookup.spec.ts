import type { LookupAddress } from 'node:dns';
import { AddressPolicy } from './address-policy';
import type { HostResolver, ResolvedAddress } from './dns-resolver';
import { ForbiddenAddressError, guardedLookup } from './guarded-lookup';

/** A resolver answering from a table, as the DNS would. */
function answering(table: Record<string, string[]>): HostResolver {
  return {
    lookup: (hostname) =>
      Promise.resolve(
        (table[hostname] ?? []).map((address): ResolvedAddress => ({
          address,
          family: address.includes(':') ? 6 : 4,
        })),
      ),
  };
}

/** Runs the lookup as Node's net.connect does (all addresses, either family). */
function lookUp(
  lookup: ReturnType<typeof guardedLookup>,
  hostname: string,
): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    lookup(hostname, { all: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses as LookupAddress[]),
    ),
  );
}

describe('guardedLookup', () => {
  const resolver = answering({
    'receiver.internal': ['10.1.2.3'],
    'other.internal': ['10.1.2.3'],
    'mixed.example': ['10.9.9.9', '93.184.215.14'],
    'metadata.internal': ['169.254.169.254'],
  });

  it('given receiver.internal:8443 allowed, when receiver.internal is looked up for port 8443, then its private address is given', async () => {
    const policy = new AddressPolicy(['receiver.internal:8443']);

    await expect(
      lookUp(guardedLookup(policy, resolver, 8443), 'receiver.internal'),
    ).resolves.toEqual([{ address: '10.1.2.3', family: 4 }]);
  });

  it('given receiver.internal:8443 allowed, when it is looked up for port 443, then it is refused as a non-public address', async () => {
    const policy = new AddressPolicy(['receiver.internal:8443']);

    const refusal = lookUp(guardedLookup(policy, resolver, 443), 'receiver.internal');

    await expect(refusal).rejects.toBeInstanceOf(ForbiddenAddressError);
    await expect(refusal).rejects.toThrow(
      'refused: receiver.internal resolves to a non-public address (SSRF guard)',
    );
  });

  it('given receiver.internal:8443 allowed, when another name with the same address is looked up for 8443, then it is refused', async () => {
    const policy = new AddressPolicy(['receiver.internal:8443']);

    await expect(
      lookUp(guardedLookup(policy, resolver, 8443), 'other.internal'),
    ).rejects.toBeInstanceOf(ForbiddenAddressError);
  });

  it('given 10.0.0.0/8:8443 allowed, when any name in it is looked up for 8443 and for 80, then only 8443 gets it', async () => {
    const policy = new AddressPolicy(['10.0.0.0/8:8443']);

    await expect(lookUp(guardedLookup(policy, resolver, 8443), 'other.internal')).resolves.toEqual([
      { address: '10.1.2.3', family: 4 },
    ]);
    await expect(
      lookUp(guardedLookup(policy, resolver, 80), 'other.internal'),
    ).rejects.toBeInstanceOf(ForbiddenAddressError);
  });

  it('given a name with a private and a public address, when looked up, then only the public one is given', async () => {
    await expect(
      lookUp(guardedLookup(new AddressPolicy(), resolver, 443), 'mixed.example'),
    ).resolves.toEqual([{ address: '93.184.215.14', family: 4 }]);
  });

  it('given a name resolving to the cloud metadata service, when refused, then the message tells neither the address nor what it is', async () => {
    const refusal = await lookUp(
      guardedLookup(new AddressPolicy(), resolver, 80),
      'metadata.internal',
    ).catch((error: Error) => error);

    expect(refusal).toBeInstanceOf(ForbiddenAddressError);
    expect((refusal as Error).message).toBe(
      'refused: metadata.internal resolves to a non-public address (SSRF guard)',
    );
    expect(JSON.stringify({ ...(refusal as object) })).not.toContain('169.254');
  });
});
