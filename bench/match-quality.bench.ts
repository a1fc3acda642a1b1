// Match quality: precision, recall and F1 of the engine on the FEBRL sets in ../shared/data/febrl, next to the naive
// baseline (surname-prefix blocking, Jaro-Winkler ≥ 0.9 on full names) in the same run, and how many true pairs
// blocking keeps.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { baselineLinks } from "../src/matching/evaluation/baseline.ts";
import {
  type CrossBorderVariant,
  generateCrossBorder,
  readCrossBorder,
} from "../src/matching/evaluation/cross-border.ts";
import {
  FEBRL_MAP_ALL,
  FEBRL_MAP_NAMES_DOB,
  FEBRL_MAP_NO_ID,
  febrlTruePairs,
} from "../src/matching/evaluation/febrl.ts";
import { type PairScores, pairKey, scorePairs } from "../src/matching/evaluation/metrics.ts";
import { linkRecords } from "../src/matching/link.ts";
import { readMatchRecords } from "../src/matching/match-csv.ts";
import { MatchIndex } from "../src/matching/match-index.ts";
import { prepareRecord } from "../src/matching/prepare.ts";
import type { MatchRecord } from "../src/matching/record.ts";
import { BANDS, scorePair } from "../src/matching/scoring.ts";

const FEBRL_DIR = new URL("../../shared/data/febrl/", import.meta.url).pathname;

function line(label: string, scores: PairScores, seconds: number): string {
  const f = (x: number) => x.toFixed(4);
  return `  ${label.padEnd(34)} precision ${f(scores.precision)}  recall ${f(scores.recall)}  F1 ${f(scores.f1)}  (${scores.correct}/${scores.predicted} predicted, ${scores.truePairs} true; ${seconds.toFixed(2)} s)`;
}

/**
 * Share of true pairs that blocking puts together (`queries` looked up in an index of `indexed`), and how many of
 * the pairs it loses would have scored "possible" or better had they been compared.
 */
function blocking(
  queries: MatchRecord[],
  indexed: MatchRecord[],
  truth: Array<[string, string]>,
  ordered: boolean,
): { recall: number; lostScoring: number } {
  const index = new MatchIndex();
  for (const record of indexed) index.add(record);
  const candidates = new Set<string>();
  for (const record of queries)
    for (const candidate of index.candidates(prepareRecord(record)))
      candidates.add(pairKey(record.id, candidate.id, ordered));
  const lost = truth.filter(([a, b]) => !candidates.has(pairKey(a, b, ordered)));
  const byId = new Map([...queries, ...indexed].map((record) => [record.id, record]));
  const prepared = (id: string) => prepareRecord(byId.get(id) as MatchRecord);
  const lostScoring = lost.filter(([a, b]) => scorePair(prepared(a), prepared(b)).score >= BANDS.possible).length;
  return { recall: truth.length === 0 ? 1 : 1 - lost.length / truth.length, lostScoring };
}

const blockingLine = ({ recall, lostScoring }: { recall: number; lostScoring: number }) =>
  `  blocking keeps ${(recall * 100).toFixed(2)}% of true pairs; of those it loses, ${lostScoring} would score "possible" or better`;

/** Seeds of the generated cross-border sets: the engine was tuned on the first and is reported on the second. */
const TUNING_SEED = 1;
const HELD_OUT_SEED = 2;

async function crossBorder(variant: CrossBorderVariant, seed: number): Promise<void> {
  const set = generateCrossBorder({ seed, people: 3000, variant });
  const { left, right } = await readCrossBorder(set, variant);
  let started = performance.now();
  const engine = linkRecords(left, right).map((link): [string, string] => [link.leftId, link.rightId]);
  const engineSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const baseline = baselineLinks(left, right);
  const baselineSeconds = (performance.now() - started) / 1000;
  const label = seed === TUNING_SEED ? "tuning seed" : "held-out seed";
  console.log(
    `${variant} (${label} ${seed}; ${left.length} × ${right.length} records, with relatives as hard negatives):`,
  );
  console.log(line("engine", scorePairs(engine, set.truth, true), engineSeconds));
  console.log(line("baseline (Jaro-Winkler ≥ 0.9)", scorePairs(baseline, set.truth, true), baselineSeconds));
  console.log(blockingLine(blocking(left, right, set.truth, true)));
}

export async function run(): Promise<void> {
  for (const variant of ["us-mx", "us-qc"] as const)
    for (const seed of [TUNING_SEED, HELD_OUT_SEED]) await crossBorder(variant, seed);
  console.log("match quality: deduplication of the FEBRL sets (pairs of records of the same person)");
  if (!existsSync(FEBRL_DIR)) throw new Error(`FEBRL data not found at ${FEBRL_DIR}`);
  for (const file of ["dataset1.csv", "dataset2.csv"]) {
    for (const [label, map] of [
      ["all columns", FEBRL_MAP_ALL],
      ["without the ID column", FEBRL_MAP_NO_ID],
      ["names and birth date only", FEBRL_MAP_NAMES_DOB],
    ] as const) {
      const records = await readMatchRecords({ file: join(FEBRL_DIR, file), idColumn: "rec_id", map });
      const truth = febrlTruePairs(records);
      let started = performance.now();
      const engine = linkRecords(records, undefined).map((link): [string, string] => [link.leftId, link.rightId]);
      const engineSeconds = (performance.now() - started) / 1000;
      started = performance.now();
      const baseline = baselineLinks(records, undefined);
      const baselineSeconds = (performance.now() - started) / 1000;
      console.log(`${file}, ${label} (${records.length} records):`);
      console.log(line("engine", scorePairs(engine, truth, false), engineSeconds));
      console.log(line("baseline (Jaro-Winkler ≥ 0.9)", scorePairs(baseline, truth, false), baselineSeconds));
      console.log(blockingLine(blocking(records, records, truth, false)));
    }
  }
}
