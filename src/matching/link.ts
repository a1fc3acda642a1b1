// Links two sets of records (or deduplicates one): every pair that shares a blocking key is scored, and pairs at or
// above the threshold are returned with their scores and explanations.
import { MatchIndex } from "./match-index.ts";
import { prepareRecord } from "./prepare.ts";
import type { MatchRecord } from "./record.ts";
import { BANDS, type PairScore } from "./scoring.ts";

export interface Link {
  leftId: string;
  rightId: string;
  score: PairScore;
}

export interface LinkOptions {
  /** Lowest score reported as a match; the match band by default. */
  threshold?: number;
}

/** With `right` undefined, finds duplicates within `left` (each pair once). */
export function linkRecords(left: MatchRecord[], right: MatchRecord[] | undefined, options: LinkOptions = {}): Link[] {
  const threshold = options.threshold ?? BANDS.match;
  const index = new MatchIndex();
  const preparedLeft = left.map(prepareRecord);
  for (const prepared of right ? right.map(prepareRecord) : preparedLeft) index.addPrepared(prepared);
  const links: Link[] = [];
  const order = new Map(left.map((record, position) => [record.id, position]));
  for (const [position, record] of left.entries()) {
    const prepared = preparedLeft[position] as (typeof preparedLeft)[number];
    for (const hit of index.query(prepared, threshold, Number.POSITIVE_INFINITY)) {
      // In deduplication each pair is found from both ends; keep it once.
      if (!right && (order.get(hit.id) ?? -1) < (order.get(record.id) ?? -1)) continue;
      links.push({ leftId: record.id, rightId: hit.id, score: hit.score });
    }
  }
  return links;
}
