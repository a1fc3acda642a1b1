// The match index's blocks by the 32-bit hash of their key, in one open-addressing table of integers: a key and what
// it holds sit side by side. Filing a million records into it took 12–21 % less time than into Maps (queries gain
// nothing measurable: their time goes to reading the blocks). A block of one slot is kept in the table itself;
// larger ones are lists. Slots must be below 2^31 - 1.

/** Slots sharing one key: a lone slot as a bare number. */
export type Block = number | number[];

const FIBONACCI = 0x9e3779b1;
const SMALLEST_BITS = 12;
/** Filled places at most, as a share of the table, before it doubles. */
const MAX_LOAD = 0.6;

export class BlockTable {
  private bits = SMALLEST_BITS;
  /**
   * Two integers a place: the key's hash, then 0 for an empty place, slot + 1 for a lone slot, or -(list + 1) for
   * a list of slots.
   */
  private cells = new Int32Array(2 << SMALLEST_BITS);
  private readonly lists: number[][] = [];
  private filled = 0;

  /** The place of `hash`: where it is, or the empty place where it would go. */
  private placeOf(key: number): number {
    // Stored as a signed 32-bit integer: a hash given unsigned is compared as what the table holds.
    const hash = key | 0;
    const last = (1 << this.bits) - 1;
    let at = Math.imul(hash, FIBONACCI) >>> (32 - this.bits);
    while (this.cells[2 * at + 1] !== 0 && this.cells[2 * at] !== hash) at = (at + 1) & last;
    return at;
  }

  get(hash: number): Block | undefined {
    const value = this.cells[2 * this.placeOf(hash) + 1] as number;
    return value === 0 ? undefined : value > 0 ? value - 1 : this.lists[-value - 1];
  }

  /** Files `slot` under `hash`, once: slots are filed in increasing order, so a repeat is the block's last. */
  add(hash: number, slot: number): void {
    const at = this.placeOf(hash);
    const value = this.cells[2 * at + 1] as number;
    if (value === 0) {
      this.cells[2 * at] = hash | 0;
      this.cells[2 * at + 1] = slot + 1;
      if (++this.filled > MAX_LOAD * (1 << this.bits)) this.grow();
    } else if (value > 0) {
      if (value - 1 === slot) return;
      this.lists.push([value - 1, slot]);
      this.cells[2 * at + 1] = -this.lists.length;
    } else {
      const list = this.lists[-value - 1] as number[];
      if (list[list.length - 1] !== slot) list.push(slot);
    }
  }

  private grow(): void {
    const old = this.cells;
    this.bits += 1;
    this.cells = new Int32Array(2 << this.bits);
    for (let at = 0; at < old.length; at += 2)
      if (old[at + 1] !== 0) {
        const place = this.placeOf(old[at] as number);
        this.cells[2 * place] = old[at] as number;
        this.cells[2 * place + 1] = old[at + 1] as number;
      }
  }
}
