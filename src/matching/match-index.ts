// An in-memory index of prepared records by blocking key, kept in step with a store by add and remove, and the one
// way search, screening, deconfliction and `puente match` find candidates and score them. Records live in slots
// and blocks hold slot numbers, which keeps a million-record index compact.
import { blockingKeys } from "./blocking.ts";
import { type PreparedRecord, prepareRecord } from "./prepare.ts";
import type { MatchRecord } from "./record.ts";
import { type PairScore, scorePair } from "./scoring.ts";

/** Keys shared by more records than this are too common to block on (e.g. "jose garcia" in a national index). */
const MAX_BLOCK = 400;
/** Keys that on their own make a pair worth scoring: identifiers, phones, e-mails. */
const STRONG_KEY = /^[ipe]:/u;
const RARE_BLOCK = 32;

export interface IndexHit {
  id: string;
  score: PairScore;
}

export class MatchIndex {
  private readonly slots: Array<PreparedRecord | undefined> = [];
  private readonly slotOf = new Map<string, number>();
  private readonly blocks = new Map<string, number[]>();
  private stamps = new Uint32Array(0);
  private counts = new Uint8Array(0);
  private generation = 0;

  get size(): number {
    return this.slotOf.size;
  }

  add(record: MatchRecord): void {
    this.addPrepared(prepareRecord(record));
  }

  addPrepared(prepared: PreparedRecord): void {
    this.remove(prepared.id);
    const slot = this.slots.length;
    this.slots.push(prepared);
    this.slotOf.set(prepared.id, slot);
    for (const key of blockingKeys(prepared)) {
      const block = this.blocks.get(key);
      if (block) block.push(slot);
      else this.blocks.set(key, [slot]);
    }
  }

  /** Removes a record; its slot stays empty (blocks skip empty slots), which keeps removal cheap. */
  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.slots[slot] = undefined;
    this.slotOf.delete(id);
    return true;
  }

  /**
   * Records worth scoring against the query: those sharing an identifier, phone or e-mail key or a rare key, or at
   * least two common keys (a name pair and a birth date, say). One shared common key ("jose hernandez") is noise in
   * a large index.
   */
  candidates(query: PreparedRecord): PreparedRecord[] {
    // Per-slot counters stamped with a query number, so nothing is cleared or allocated between queries.
    this.generation += 1;
    if (this.stamps.length < this.slots.length) this.growCounters();
    const { stamps, counts, generation } = this;
    const records: PreparedRecord[] = [];
    const take = (slot: number) => {
      counts[slot] = 2;
      const record = this.slots[slot];
      if (record && record.id !== query.id) records.push(record);
    };
    const usable: Array<[string, number[]]> = [];
    const oversized: Array<[string, number[]]> = [];
    for (const key of blockingKeys(query)) {
      const block = this.blocks.get(key);
      if (block) (block.length > MAX_BLOCK ? oversized : usable).push([key, block]);
    }
    // A record filed only under common keys ("maria garcia", born 1980) must still find itself: fall back to its
    // least common keys.
    if (usable.length < 2)
      usable.push(...oversized.sort((x, y) => x[1].length - y[1].length).slice(0, 2 - usable.length));
    for (const [key, block] of usable) {
      // A rare key is telling on its own; a common one only together with another.
      const strong = STRONG_KEY.test(key) || block.length <= RARE_BLOCK;
      for (const slot of block) {
        if (stamps[slot] !== generation) {
          stamps[slot] = generation;
          counts[slot] = 0;
        }
        const count = counts[slot] as number;
        if (count >= 2) continue;
        if (strong || count === 1) take(slot);
        else counts[slot] = 1;
      }
    }
    return records;
  }

  private growCounters(): void {
    const size = Math.max(1024, this.slots.length * 2);
    const stamps = new Uint32Array(size);
    stamps.set(this.stamps);
    const counts = new Uint8Array(size);
    counts.set(this.counts);
    this.stamps = stamps;
    this.counts = counts;
  }

  /** Scored candidates at or above `threshold`, best first. */
  query(query: MatchRecord | PreparedRecord, threshold = 0.5, limit = 50): IndexHit[] {
    const prepared = "values" in query ? prepareRecord(query) : query;
    const hits: IndexHit[] = [];
    for (const candidate of this.candidates(prepared)) {
      const score = scorePair(prepared, candidate, threshold);
      if (score && score.score >= threshold) hits.push({ id: candidate.id, score });
    }
    return hits.sort((x, y) => y.score.score - x.score.score).slice(0, limit);
  }
}
