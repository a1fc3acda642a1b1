// The marks one index query leaves on the slots it meets (which kinds of key each shares with the query), in a
// small open-addressing table sized to that query. A table as long as the index would be simpler, but in an index
// of a million records every visit to it misses the processor's caches; a query meets a few thousand slots at
// most, and their table fits in the fastest cache. Entries are stamped with the query's number, so nothing is
// cleared between queries.

const SMALLEST_BITS = 10;
const FIBONACCI = 0x9e3779b1;

export class SlotMarks {
  private bits = SMALLEST_BITS;
  private slots = new Int32Array(1 << SMALLEST_BITS);
  private stamps = new Uint32Array(1 << SMALLEST_BITS);
  private marks = new Uint8Array(1 << SMALLEST_BITS);
  private stamp = 0;

  /** Starts a query that will mark at most `slots` distinct slots; forgets the marks of the one before. */
  begin(slots: number): void {
    let bits = SMALLEST_BITS;
    while (1 << bits < 2 * slots) bits++;
    if (1 << bits > this.slots.length) {
      this.slots = new Int32Array(1 << bits);
      this.stamps = new Uint32Array(1 << bits);
      this.marks = new Uint8Array(1 << bits);
    }
    this.bits = bits;
    this.stamp += 1;
    if (this.stamp === 0xffffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  /** Where `slot` is kept in this query's table, or the free place where it would go. */
  private placeOf(slot: number): number {
    const last = (1 << this.bits) - 1;
    let at = Math.imul(slot, FIBONACCI) >>> (32 - this.bits);
    while (this.stamps[at] === this.stamp && this.slots[at] !== slot) at = (at + 1) & last;
    return at;
  }

  /** Where `slot` is kept in this query's table: found, or taken with no marks. */
  entry(slot: number): number {
    const at = this.placeOf(slot);
    if (this.stamps[at] !== this.stamp) {
      this.stamps[at] = this.stamp;
      this.slots[at] = slot;
      this.marks[at] = 0;
    }
    return at;
  }

  /** Where `slot` is kept in this query's table, or -1 when this query has not met it (nothing is added). */
  find(slot: number): number {
    const at = this.placeOf(slot);
    return this.stamps[at] === this.stamp ? at : -1;
  }

  markAt(entry: number): number {
    return this.marks[entry] as number;
  }

  setMarkAt(entry: number, mark: number): void {
    this.marks[entry] = mark;
  }
}
