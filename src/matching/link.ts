// Links two sets of records (or deduplicates one): every pair that shares a blocking key is scored, and pairs at or
// above the threshold are returned with their scores and explanations. A pair that only its want of a birth date or
// identifier keeps below the match band is linked when neither of its records has another candidate as strong: a
// man and his namesake son at one address are told apart by their birth dates or not at all, and a record with no
// such rival in the other file has nobody to be confused with.
import { MatchIndex } from "./match-index.ts";
import { prepareRecord } from "./prepare.ts";
import type { MatchRecord } from "./record.ts";
import { BANDS, CAPPED_SCORE, isCapped, liftCap, type PairScore } from "./scoring.ts";

export interface Link {
  leftId: string;
  rightId: string;
  score: PairScore;
}

export interface LinkOptions {
  /** Lowest score reported as a match; the match band by default. */
  threshold?: number;
}

const UNRIVALLED = "neither record has another candidate as strong";

/** With `right` undefined, finds duplicates within `left` (each pair once). */
export function linkRecords(left: MatchRecord[], right: MatchRecord[] | undefined, options: LinkOptions = {}): Link[] {
  const threshold = options.threshold ?? BANDS.match;
  const index = new MatchIndex();
  const preparedLeft = left.map(prepareRecord);
  for (const prepared of right ? right.map(prepareRecord) : preparedLeft) index.addPrepared(prepared);
  const found: Link[] = [];
  const order = new Map(left.map((record, position) => [record.id, position]));
  // Candidates at the capped score or above, per record (keyed by side, as the two files may share ids).
  const strong = new Map<string, number>();
  const sideKey = (id: string, side: "left" | "right") => `${right ? side : "left"}\u0000${id}`;
  const countStrong = (key: string) => strong.set(key, (strong.get(key) ?? 0) + 1);
  for (const [position, record] of left.entries()) {
    const prepared = preparedLeft[position] as (typeof preparedLeft)[number];
    for (const hit of index.query(prepared, Math.min(threshold, CAPPED_SCORE), Number.POSITIVE_INFINITY)) {
      // In deduplication each pair is found from both ends; keep it once.
      if (!right && (order.get(hit.id) ?? -1) < (order.get(record.id) ?? -1)) continue;
      found.push({ leftId: record.id, rightId: hit.id, score: hit.score });
      countStrong(sideKey(record.id, "left"));
      countStrong(sideKey(hit.id, "right"));
    }
  }
  const links: Link[] = [];
  for (const link of found) {
    const unrivalled =
      strong.get(sideKey(link.leftId, "left")) === 1 && strong.get(sideKey(link.rightId, "right")) === 1;
    const score = unrivalled && isCapped(link.score) ? liftCap(link.score, UNRIVALLED) : link.score;
    if (score.score >= threshold) links.push({ ...link, score });
  }
  return links;
}
