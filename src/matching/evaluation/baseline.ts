// The naive baseline every quality and speed figure is compared with: records blocked on the first two letters of
// the folded surname, and a pair judged a match when the Jaro-Winkler similarity of the full names is ≥ 0.9.
import { foldName } from "../../normalize/names.ts";
import type { MatchRecord } from "../record.ts";
import { jaroWinkler } from "../similarity.ts";

const THRESHOLD = 0.9;

function fullName(record: MatchRecord): { key: string; name: string } {
  const v = record.values;
  const family = foldName([v.lastName, v.secondLastName].flat().filter(Boolean).join(" "));
  const given = foldName([v.firstName, v.middleName].flat().filter(Boolean).join(" "));
  const name = given || family ? `${given} ${family}`.trim() : foldName(v.name?.[0] ?? "");
  const surname = family || name.split(" ").at(-1) || "";
  return { key: surname.slice(0, 2), name };
}

export function baselineLinks(left: MatchRecord[], right: MatchRecord[] | undefined): Array<[string, string]> {
  const targets = right ?? left;
  const blocks = new Map<string, Array<{ id: string; name: string }>>();
  for (const record of targets) {
    const { key, name } = fullName(record);
    const block = blocks.get(key) ?? [];
    block.push({ id: record.id, name });
    blocks.set(key, block);
  }
  const links: Array<[string, string]> = [];
  for (const record of left) {
    const { key, name } = fullName(record);
    for (const other of blocks.get(key) ?? []) {
      if (!right && other.id <= record.id) continue;
      if (jaroWinkler(name, other.name) >= THRESHOLD) links.push([record.id, other.id]);
    }
  }
  return links;
}
