// A small seeded pseudo-random generator for the synthetic demo data. It is deterministic across runs and
// platforms (pure 32-bit integer arithmetic), so the same seed always yields the same demo federation.
// It is not cryptographically secure and must never be used for keys, tokens or anything security-relevant.

/** Hashes any mix of strings and numbers to a 32-bit seed, so independent streams can be derived by name. */
export function hashSeed(...parts: ReadonlyArray<string | number>): number {
  // FNV-1a over the UTF-16 code units, with a separator so ("ab", "c") and ("a", "bc") differ.
  let h = 0x811c9dc5;
  for (const part of parts) {
    const text = `${typeof part}:${part}\u0000`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  // murmur3 finaliser: FNV alone leaves the low bits poorly mixed for short inputs.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), seeded through splitmix32. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 spreads a single 32-bit seed over the 128-bit state; sfc32 dislikes all-zero or similar words.
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    // Discard the first outputs, as the sfc32 author recommends, to leave the seeding transient behind.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A derived, independent stream: the same parent seed and label always give the same child. */
  static derive(...parts: ReadonlyArray<string | number>): Random {
    return new Random(hashSeed(...parts));
  }

  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): max is below min`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick() from an empty array");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks one of `[value, weight]` entries with probability proportional to its weight. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    if (!(total > 0)) throw new RangeError("weighted() needs a positive total weight");
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    // Only reachable through floating-point rounding at the very top of the range.
    return (entries[entries.length - 1] as readonly [T, number])[0];
  }

  /** Fisher–Yates, in place; returns the same array for chaining. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** k distinct items in random order (partial Fisher–Yates on a copy); k is capped at items.length. */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    return copy.slice(0, n);
  }

  /** A string of n characters drawn uniformly from the alphabet. */
  chars(n: number, alphabet: string): string {
    let out = "";
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  /** A string of n decimal digits (leading zeros allowed). */
  digits(n: number): string {
    return this.chars(n, "0123456789");
  }
}

/**
 * A precomputed weighted picker for long lists (names by frequency), so each pick is a binary search rather
 * than a linear scan over hundreds of weights.
 */
export class WeightedList<T> {
  private readonly items: readonly T[];
  private readonly cumulative: Float64Array;

  constructor(items: readonly T[], weights: readonly number[]) {
    if (items.length === 0 || items.length !== weights.length) {
      throw new RangeError("WeightedList needs as many positive weights as items, and at least one item");
    }
    this.items = items;
    this.cumulative = new Float64Array(items.length);
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      total += weights[i] ?? 0;
      this.cumulative[i] = total;
    }
    if (!(total > 0)) throw new RangeError("WeightedList needs a positive total weight");
  }

  /** Weights that fall off like 1/(rank + k): a Zipf-like shape suiting frequency-ordered name lists. */
  static zipf<T>(items: readonly T[], k = 4): WeightedList<T> {
    return new WeightedList(
      items,
      items.map((_, i) => 1 / (i + k)),
    );
  }

  pick(rng: Random): T {
    const total = this.cumulative[this.cumulative.length - 1] as number;
    const r = rng.next() * total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}
