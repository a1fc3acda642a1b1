// An in-memory index of prepared records by blocking key, kept in step with a store by add and remove, and the one
// way search, screening, deconfliction and `puente match` find candidates and score them. Records live in slots;
// blocks are filed under a 32-bit hash of their key and hold slot numbers (a lone slot as a bare number), which
// keeps a million-record index compact. Two keys that share a hash only merge their blocks: more candidates to
// score, never a lost one.
import { type Block, BlockTable } from "./block-table.ts";
import { eachBlockingKey } from "./blocking.ts";
import { type PreparedRecord, prepareRecord } from "./prepare.ts";
import type { MatchRecord } from "./record.ts";
import { evidenceBits, type PairScore, scorePair } from "./scoring.ts";
import { SlotMarks } from "./slot-marks.ts";
import { SlotTraits } from "./slot-traits.ts";

/** Keys shared by more records than this are too common to block on (e.g. "jose garcia" in a national index). */
const MAX_BLOCK = 400;
/** Prefixes of keys that on their own make a pair worth scoring: identifiers, phones, e-mails. */
const STRONG_PREFIXES = ["i", "p", "e"];
const RARE_BLOCK = 32;

/**
 * Kinds of evidence a key stands for. Keys of one kind say the same thing (three keys from one name pair are still
 * one name), so a candidate needs keys of two kinds, unless one key is strong or rare.
 */
const KEY_KIND: Record<string, number> = { n: 0, ni: 0, np: 0, n1: 0, ny: 1, b: 2, a: 3, ap: 3, aw: 3 };
const OTHER_KIND = 4;
/**
 * A birth date is rare only in a far smaller block: a century holds some 36,500 dates, so in a national index each
 * is shared by dozens of strangers, where a name shared by as many is still telling.
 */
const RARE_BIRTH_BLOCK = 8;
const BIRTH_KIND = KEY_KIND.b as number;
const TAKEN = 0x80;

/** The low four bits of a key's hash by its prefix (kind, and whether strong); other prefixes have none. */
const LOW_BITS_BY_PREFIX = new Map<string, number>();
for (const prefix of new Set([...Object.keys(KEY_KIND), ...STRONG_PREFIXES]))
  LOW_BITS_BY_PREFIX.set(prefix, ((KEY_KIND[prefix] ?? OTHER_KIND) << 1) | (STRONG_PREFIXES.includes(prefix) ? 1 : 0));
const OTHER_LOW_BITS = OTHER_KIND << 1;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const COLON = 58;

/** FNV-1a of `text`'s UTF-16 code units, continuing from `hash`. */
function fnv(hash: number, text: string): number {
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

const fnvPart = (hash: number, part: string | number) =>
  fnv(Math.imul(hash ^ COLON, FNV_PRIME), typeof part === "string" ? part : String(part));

/**
 * A key's hash: FNV-1a over the key as text ("n:garsia:xuan"), read from its parts without joining them; the low
 * four bits carry the key's kind and whether it is strong.
 */
function keyHash(prefix: string, a: string | number, b?: string | number, c?: string | number): number {
  let hash = fnvPart(fnv(FNV_OFFSET, prefix), a);
  if (b !== undefined) hash = fnvPart(hash, b);
  if (c !== undefined) hash = fnvPart(hash, c);
  return (hash & ~0xf) | (LOW_BITS_BY_PREFIX.get(prefix) ?? OTHER_LOW_BITS);
}

/** Past this many keys (a record with dozens of aliases), repeats are found in a set rather than the list. */
const FEW_KEYS = 64;

/** The hashes of a record's blocking keys, each once, in the order the keys come. */
function keyHashes(record: PreparedRecord): number[] {
  const hashes: number[] = [];
  let many: Set<number> | undefined;
  eachBlockingKey(record, (prefix, a, b, c) => {
    const hash = keyHash(prefix, a, b, c);
    if (many ? many.has(hash) : hashes.includes(hash)) return;
    hashes.push(hash);
    if (many) many.add(hash);
    else if (hashes.length === FEW_KEYS) many = new Set(hashes);
  });
  return hashes;
}

const blockSize = (block: Block) => (typeof block === "number" ? 1 : block.length);

const NAME_KIND = KEY_KIND.n as number;
/** The marked-slot filter's size in 32-bit words: 32,768 bits, so that a query's few hundred set bits seldom collide. */
const FILTER_WORDS = 1024;
const FILTER_WORD_MASK = FILTER_WORDS - 1;
const NAME_KIND_BIT = 1 << NAME_KIND;

/** A name key's block too large to be telling on its own: its slots count only with a key of another kind. */
const isCommonName = (hash: number, block: number[]) =>
  ((hash >>> 1) & 0x7) === NAME_KIND && (hash & 1) === 0 && block.length > RARE_BLOCK;

export interface IndexHit {
  id: string;
  score: PairScore;
}

export class MatchIndex {
  private readonly slots: Array<PreparedRecord | undefined> = [];
  private readonly slotOf = new Map<string, number>();
  private readonly blocks = new BlockTable();
  private readonly marks = new SlotMarks();
  private readonly traits = new SlotTraits();
  /** Scratch for `candidateSlots`: a bit for the slots one kind marked, by the low bits of their number. */
  private readonly markedFilter = new Int32Array(FILTER_WORDS);

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
    this.traits.set(slot, prepared);
    for (const hash of keyHashes(prepared)) this.blocks.add(hash, slot);
  }

  /** Removes a record; its slot stays empty (blocks skip empty slots), which keeps removal cheap. */
  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.slots[slot] = undefined;
    this.traits.clear(slot);
    this.slotOf.delete(id);
    return true;
  }

  /**
   * Records worth scoring against the query: those sharing an identifier, phone or e-mail key or a rare key, or keys
   * of at least two kinds (a name and a birth date, say). One shared common name ("jose hernandez") is noise in a
   * large index.
   */
  candidates(query: PreparedRecord): PreparedRecord[] {
    return this.candidateSlots(query).map((slot) => this.slots[slot] as PreparedRecord);
  }

  /**
   * The slots of `candidates`: filled, and not the query's own. Blocks of other kinds, and rare name blocks, are
   * walked first, marking each slot with the kinds it shares; then a common name block only needs its slots that one
   * other kind marked (names being one kind, a slot only in name blocks never counts), which a filter of bits tells
   * apart from the rest before any lookup: common names make most of a query's slots.
   */
  private candidateSlots(query: PreparedRecord): number[] {
    const own = this.slotOf.get(query.id);
    const found: number[] = [];
    const usable: Array<[number, Block]> = [];
    const oversized: Array<[number, Block]> = [];
    for (const hash of keyHashes(query)) {
      const block = this.blocks.get(hash);
      if (block !== undefined) (blockSize(block) > MAX_BLOCK ? oversized : usable).push([hash, block]);
    }
    // A record filed only under common keys ("maria garcia", born 1980) must still find itself: fall back to its
    // least common keys.
    if (usable.length < 2)
      usable.push(...oversized.sort((x, y) => blockSize(x[1]) - blockSize(y[1])).slice(0, 2 - usable.length));
    const { marks, traits } = this;
    const commonNames: number[][] = [];
    const others: Array<[number, Block]> = [];
    let walked = 0;
    for (const [hash, block] of usable)
      if (typeof block !== "number" && isCommonName(hash, block)) commonNames.push(block);
      else {
        others.push([hash, block]);
        walked += blockSize(block);
      }
    marks.begin(walked);
    // Slots one kind marked, by the low bits of their number: a cheap test that most name-block slots fail.
    const marked = this.markedFilter.fill(0);
    const take = (entry: number, slot: number, mask: number) => {
      marks.setMarkAt(entry, mask | TAKEN);
      if (slot !== own && !traits.isEmpty(slot)) found.push(slot);
    };
    for (const [hash, block] of others) {
      // A rare key is telling on its own; a common one only together with a key of another kind.
      const kindNumber = (hash >>> 1) & 0x7;
      const strong =
        (hash & 1) === 1 || blockSize(block) <= (kindNumber === BIRTH_KIND ? RARE_BIRTH_BLOCK : RARE_BLOCK);
      const kind = 1 << kindNumber;
      const count = blockSize(block);
      for (let i = 0; i < count; i++) {
        const slot = typeof block === "number" ? block : (block[i] as number);
        const entry = marks.entry(slot);
        const mask = marks.markAt(entry);
        if (mask & TAKEN) continue;
        const next = mask | kind;
        // Two kinds or more: more than one bit set.
        if (strong || (next & (next - 1)) !== 0) take(entry, slot, next);
        else {
          marks.setMarkAt(entry, next);
          const word = (slot >>> 5) & FILTER_WORD_MASK;
          marked[word] = (marked[word] as number) | (1 << (slot & 31));
        }
      }
    }
    for (const block of commonNames)
      for (let i = 0; i < block.length; i++) {
        const slot = block[i] as number;
        if (((marked[(slot >>> 5) & FILTER_WORD_MASK] as number) & (1 << (slot & 31))) === 0) continue;
        const entry = marks.find(slot);
        if (entry < 0) continue;
        const mask = marks.markAt(entry);
        if (!(mask & TAKEN)) take(entry, slot, mask | NAME_KIND_BIT);
      }
    return found;
  }

  /** Scored candidates at or above `threshold`, best first. */
  query(query: MatchRecord | PreparedRecord, threshold = 0.5, limit = 50): IndexHit[] {
    const prepared = "values" in query ? prepareRecord(query) : query;
    const hits: IndexHit[] = [];
    const evidence = evidenceBits(prepared);
    for (const slot of this.candidateSlots(prepared)) {
      if (threshold > 0 && !this.traits.mayReach(slot, prepared, evidence, threshold)) continue;
      const candidate = this.slots[slot] as PreparedRecord;
      const score = scorePair(prepared, candidate, threshold);
      if (score && score.score >= threshold) hits.push({ id: candidate.id, score });
    }
    return hits.sort((x, y) => y.score.score - x.score.score).slice(0, limit);
  }
}
