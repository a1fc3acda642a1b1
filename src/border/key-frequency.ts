// How often values were seen lately, in fixed memory: a count-min sketch (Cormode and Muthukrishnan, 2005) with
// conservative update, whose counts decay exponentially with the time of the events counted, so that a count is
// "crossings over the last few half-lives". Counts are never below the truth and rarely much above it: with four
// rows of 2^20 cells and a few million distinct values over the memory's span, collisions add well under one.
// The coordinated-arrival detector uses it to tell values many crossings share (a big insurer, a fleet broker)
// from rare ones, without keeping every registrant, address and phone it has ever seen.

const DEPTH = 4;
/** Decay is applied in steps of this much event time, over the whole table at once. */
const STEP_MS = 3_600_000;

/** 32-bit FNV-1a of a string, with a murmur3 finaliser. */
function hash(text: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class DecayingCounts {
  private readonly cells: Float32Array;
  private readonly mask: number;
  private readonly slots = new Uint32Array(DEPTH);
  private decayedAt: number | undefined;

  /** `widthBits`: each row has 2^widthBits cells (4 bytes each, four rows). */
  constructor(
    private readonly halfLifeMs: number,
    private readonly widthBits = 20,
  ) {
    if (!(halfLifeMs > 0)) throw new RangeError("halfLifeMs: must be positive");
    this.mask = (1 << widthBits) - 1;
    this.cells = new Float32Array(DEPTH << widthBits);
  }

  /** Ages every count to event time `now`; earlier times than already seen change nothing. */
  advance(now: number): void {
    if (this.decayedAt === undefined) this.decayedAt = now;
    const elapsed = now - this.decayedAt;
    if (elapsed < STEP_MS) return;
    const factor = 2 ** (-elapsed / this.halfLifeMs);
    for (let i = 0; i < this.cells.length; i++) this.cells[i] = (this.cells[i] as number) * factor;
    this.decayedAt = now;
  }

  private locate(key: string): void {
    // Double hashing: row i uses h1 + i·h2 (Kirsch and Mitzenmacher), h2 odd so rows differ.
    const h1 = hash(key, 0x811c9dc5);
    const h2 = hash(key, 0x050c5d1f) | 1;
    for (let row = 0; row < DEPTH; row++)
      this.slots[row] = (row << this.widthBits) + ((h1 + Math.imul(row, h2)) & this.mask);
  }

  /** Counts one more occurrence of `key` (conservative update: only the cells at the minimum grow). */
  add(key: string): void {
    this.locate(key);
    let least = Number.POSITIVE_INFINITY;
    for (const slot of this.slots) least = Math.min(least, this.cells[slot] as number);
    const next = least + 1;
    for (const slot of this.slots) if ((this.cells[slot] as number) < next) this.cells[slot] = next;
  }

  /** The decayed count of `key`: never below the truth. */
  count(key: string): number {
    this.locate(key);
    let least = Number.POSITIVE_INFINITY;
    for (const slot of this.slots) least = Math.min(least, this.cells[slot] as number);
    return least;
  }
}
