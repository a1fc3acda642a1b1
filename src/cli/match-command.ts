// `puente match`: links two CSV files of records (or deduplicates one) and writes the pairs judged a match as
// `left_id,right_id,score[,explanation]`. This command line is a stable contract: others evaluate the engine with it.
import { writeFileSync } from "node:fs";
import { linkRecords } from "../matching/link.ts";
import { MatchInputError, readMatchRecords } from "../matching/match-csv.ts";
import type { FeatureOutcome } from "../matching/scoring.ts";

export interface MatchFlags {
  out: string;
  id?: string;
  leftId?: string;
  rightId?: string;
  map?: string;
  leftMap?: string;
  rightMap?: string;
  schema?: string;
  threshold?: number;
  country?: string;
  leftCountry?: string;
  rightCountry?: string;
  explain?: boolean;
}

function csvField(text: string): string {
  return /[",\n\r]/u.test(text) ? `"${text.replace(/"/gu, '""')}"` : text;
}

function explain(outcomes: FeatureOutcome[]): string {
  return outcomes.map((o) => `${o.feature}: ${o.outcome} (${o.weight >= 0 ? "+" : ""}${o.weight})`).join("; ");
}

export async function matchCommand(leftFile: string, rightFile: string | undefined, flags: MatchFlags): Promise<void> {
  if (flags.schema && flags.schema !== "Person")
    throw new MatchInputError(`--schema ${flags.schema}: only Person records are matched so far`);
  if (flags.threshold !== undefined && !(flags.threshold >= 0 && flags.threshold <= 1))
    throw new MatchInputError(`--threshold ${flags.threshold}: give a number from 0 to 1`);
  const left = await readMatchRecords({
    file: leftFile,
    idColumn: flags.leftId ?? flags.id,
    map: flags.leftMap ?? flags.map,
    country: flags.leftCountry ?? flags.country,
  });
  const right = rightFile
    ? await readMatchRecords({
        file: rightFile,
        idColumn: flags.rightId ?? flags.id,
        map: flags.rightMap ?? flags.map,
        country: flags.rightCountry ?? flags.country,
      })
    : undefined;
  const links = linkRecords(left, right, flags.threshold === undefined ? {} : { threshold: flags.threshold });
  const header = flags.explain ? "left_id,right_id,score,explanation" : "left_id,right_id,score";
  const lines = links.map((link) => {
    const row = [csvField(link.leftId), csvField(link.rightId), link.score.score.toFixed(4)];
    if (flags.explain) row.push(csvField(explain(link.score.explanation)));
    return row.join(",");
  });
  writeFileSync(flags.out, `${[header, ...lines].join("\n")}\n`);
  console.error(`${links.length} matching pairs written to ${flags.out}`);
}
