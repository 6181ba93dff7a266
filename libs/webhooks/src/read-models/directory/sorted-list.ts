/**
 * Items kept in the order of `compare` (a total order: no two items compare equal), with
 * O(log n) search and O(n) memory moves per insert or removal: for some ten thousand items that
 * is microseconds, and reads walk the order without sorting anything.
 */
export class SortedList<T> {
  private readonly items: T[] = [];

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get length(): number {
    return this.items.length;
  }

  at(index: number): T {
    return this.items[index];
  }

  insert(item: T): void {
    this.items.splice(this.firstAfter(item), 0, item);
  }

  /** Removes `item`, found by its sort key: call it before the item's key changes. */
  remove(item: T): void {
    const index = this.firstNotBefore(item);
    if (index < this.items.length && this.compare(this.items[index], item) === 0) {
      this.items.splice(index, 1);
    }
  }

  /** The index of the first item ordered after `probe` (a keyset cursor's next page). */
  firstAfter(probe: T): number {
    return this.search((item) => this.compare(item, probe) > 0);
  }

  private firstNotBefore(probe: T): number {
    return this.search((item) => this.compare(item, probe) >= 0);
  }

  /** The first index whose item satisfies `isPast`, which is false then true along the order. */
  private search(isPast: (item: T) => boolean): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (isPast(this.items[middle])) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}

/**
 * Compares strings by Unicode code point, which is the order of their UTF-8 bytes: how MongoDB
 * (simple collation) and FerretDB sort strings. JavaScript's `<` compares UTF-16 code units,
 * which puts characters above U+FFFF (surrogate pairs) before U+E000 to U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (U+D800 to U+DFFF) after U+E000 to U+FFFF, keeping every other order. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit <= 0xdfff ? unit + 0x2000 : unit - 0x800;
}
