// An in-memory index of prepared records by blocking key, kept in step with a store by add and remove, and the one
// way search, screening, deconfliction and `puente match` find candidates and score them.
import { blockingKeys } from "./blocking.ts";
import { type PreparedRecord, prepareRecord } from "./prepare.ts";
import type { MatchRecord } from "./record.ts";
import { type PairScore, scorePair } from "./scoring.ts";

/** Keys shared by more records than this are too common to block on (e.g. "jose garcia" in a national index). */
const MAX_BLOCK = 2000;

export interface IndexHit {
  id: string;
  score: PairScore;
}

export class MatchIndex {
  private readonly records = new Map<string, PreparedRecord>();
  private readonly blocks = new Map<string, Set<string>>();

  get size(): number {
    return this.records.size;
  }

  add(record: MatchRecord): void {
    this.addPrepared(prepareRecord(record));
  }

  addPrepared(prepared: PreparedRecord): void {
    if (this.records.has(prepared.id)) this.remove(prepared.id);
    this.records.set(prepared.id, prepared);
    for (const key of blockingKeys(prepared)) {
      let block = this.blocks.get(key);
      if (!block) {
        block = new Set();
        this.blocks.set(key, block);
      }
      block.add(prepared.id);
    }
  }

  remove(id: string): boolean {
    const prepared = this.records.get(id);
    if (!prepared) return false;
    for (const key of blockingKeys(prepared)) {
      const block = this.blocks.get(key);
      block?.delete(id);
      if (block?.size === 0) this.blocks.delete(key);
    }
    this.records.delete(id);
    return true;
  }

  /** Ids of records sharing at least one usable blocking key with the query. */
  candidates(query: PreparedRecord): Set<string> {
    const found = new Set<string>();
    for (const key of blockingKeys(query)) {
      const block = this.blocks.get(key);
      if (!block || block.size > MAX_BLOCK) continue;
      for (const id of block) if (id !== query.id) found.add(id);
    }
    return found;
  }

  /** Scored candidates at or above `threshold`, best first. */
  query(query: MatchRecord | PreparedRecord, threshold = 0.5, limit = 50): IndexHit[] {
    const prepared = "values" in query ? prepareRecord(query) : query;
    const hits: IndexHit[] = [];
    for (const id of this.candidates(prepared)) {
      const score = scorePair(prepared, this.records.get(id) as PreparedRecord);
      if (score.score >= threshold) hits.push({ id, score });
    }
    return hits.sort((x, y) => y.score.score - x.score.score).slice(0, limit);
  }
}
