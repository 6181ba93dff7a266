import type { HostResolver, ResolvedAddress } from './dns-resolver';
import { PinnedAnswers } from './pinned-answers';

/** A resolver that answers every name with one address and counts what it was asked. */
function countingResolver(): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    lookup: (hostname) => {
      asked.push(hostname);
      return Promise.resolve([{ address: '192.0.2.99', family: 4 }]);
    },
  };
}

const PINNED: ResolvedAddress[] = [{ address: '192.0.2.1', family: 4 }];

describe('PinnedAnswers', () => {
  it('given a pinned answer, when its host is looked up, then the pin answers and the resolver is not asked', async () => {
    const resolver = countingResolver();
    const pinned = new PinnedAnswers(resolver);
    pinned.pin('hooks.test', PINNED);

    expect(await pinned.lookup('hooks.test')).toEqual(PINNED);
    expect(resolver.asked).toEqual([]);
  });

  it('given a pin released, when its host is looked up, then the resolver answers', async () => {
    const resolver = countingResolver();
    const pinned = new PinnedAnswers(resolver);
    const release = pinned.pin('hooks.test', PINNED);

    release();

    expect(await pinned.lookup('hooks.test')).toEqual([{ address: '192.0.2.99', family: 4 }]);
    expect(resolver.asked).toEqual(['hooks.test']);
  });

  it('given two attempts holding one host, when the first releases, then the pin stays for the second, and goes with it', async () => {
    const resolver = countingResolver();
    const pinned = new PinnedAnswers(resolver);
    const first = pinned.pin('hooks.test', PINNED);
    const second = pinned.pin('hooks.test', [{ address: '192.0.2.2', family: 4 }]);

    first();
    expect(await pinned.lookup('hooks.test')).toEqual([{ address: '192.0.2.2', family: 4 }]);

    second();
    await pinned.lookup('hooks.test');
    expect(resolver.asked).toEqual(['hooks.test']);
  });

  it('given a pinned answer, when a caller changes the array it got, then the pin keeps its own', async () => {
    const pinned = new PinnedAnswers(countingResolver());
    pinned.pin('hooks.test', PINNED);

    (await pinned.lookup('hooks.test')).splice(0);

    expect(await pinned.lookup('hooks.test')).toEqual(PINNED);
  });
});
