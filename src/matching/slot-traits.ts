// What an index keeps of each record in a flat array beside the records themselves: its birth date, packed, and its
// evidence bits (which kinds of identifier, contact and address it holds), side by side, so the test of a candidate
// costs one cache miss. A candidate these rule out is never read: in an index of a million records, reading a
// record's objects costs a handful of cache misses, several times what the test on this array costs.
import type { BirthDate, PreparedRecord } from "./prepare.ts";
import { birthWeight, cannotReach, evidenceBits } from "./scoring.ts";

/** An empty slot (a removed record). */
const EMPTY = -1;
/** No birth date. */
const NO_BIRTH = 0;
/** A birth date the packing cannot hold (a year past 4095): such a record is always read. */
const UNPACKED = -1;

/** Year, month and day in one integer; month and day 0 when unknown. */
function packBirth(birth: BirthDate | undefined): number {
  if (!birth) return NO_BIRTH;
  const { year, month = 0, day = 0 } = birth;
  if (!Number.isInteger(year) || year < 1 || year > 4095 || month > 12 || day > 31) return UNPACKED;
  return (year << 9) | (month << 5) | day;
}

/** A slot's two integers: its packed birth date at 2 × slot, its evidence bits (or EMPTY) after it. */
const newTraits = (slots: number) => new Int32Array(2 * slots).fill(EMPTY);

export class SlotTraits {
  private traits = newTraits(1024);
  /** One date object, rewritten for each candidate: the test allocates nothing. */
  private readonly scratch: { year: number; month: number | undefined; day: number | undefined } = {
    year: 0,
    month: undefined,
    day: undefined,
  };

  set(slot: number, record: PreparedRecord): void {
    if (2 * slot >= this.traits.length) this.grow(slot + 1);
    this.traits[2 * slot] = packBirth(record.birth);
    this.traits[2 * slot + 1] = evidenceBits(record);
  }

  clear(slot: number): void {
    if (2 * slot < this.traits.length) this.traits[2 * slot + 1] = EMPTY;
  }

  isEmpty(slot: number): boolean {
    return this.traits[2 * slot + 1] === EMPTY;
  }

  /**
   * Whether the record in `slot` may score `atLeast` against `query` (whose evidence bits are `queryEvidence`), on
   * its birth date and evidence bits: false only when scoring it would surely fall short.
   */
  mayReach(slot: number, query: PreparedRecord, queryEvidence: number, atLeast: number): boolean {
    const packed = this.traits[2 * slot] as number;
    if (packed === UNPACKED) return true;
    let birth: BirthDate | undefined;
    if (packed !== NO_BIRTH) {
      const month = (packed >>> 5) & 0xf;
      const day = packed & 0x1f;
      this.scratch.year = packed >>> 9;
      this.scratch.month = month === 0 ? undefined : month;
      this.scratch.day = day === 0 ? undefined : day;
      birth = this.scratch as BirthDate;
    }
    return !cannotReach(atLeast, birthWeight(query.birth, birth), queryEvidence, this.traits[2 * slot + 1] as number);
  }

  private grow(needed: number): void {
    const traits = newTraits(Math.max(needed, this.traits.length));
    traits.set(this.traits);
    this.traits = traits;
  }
}
