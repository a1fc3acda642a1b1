// Synthetic persons for the speed benchmarks: Spanish given names by sex and Spanish and English surnames, each
// drawn with Zipf frequencies (so common names are common), and a birth date. Deterministic for a seed.
import { readFileSync } from "node:fs";
import { Random, WeightedList } from "../src/demo/random.ts";
import type { MatchRecord } from "../src/matching/record.ts";

interface NameLists {
  male: string[];
  female: string[];
  surnames: string[];
}
const names = (file: string): NameLists =>
  JSON.parse(readFileSync(new URL(`../src/normalize/data/${file}.json`, import.meta.url), "utf8"));

/** Synthetic persons one at a time, so the index is built the way a node streams its store, without an array. */
export function* syntheticPersons(count: number, seed: number): Generator<MatchRecord> {
  const rng = new Random(seed);
  const given = {
    male: WeightedList.zipf(names("es-given").male),
    female: WeightedList.zipf(names("es-given").female),
  };
  const surnames = WeightedList.zipf([...names("es-surnames").surnames, ...names("en-surnames").surnames]);
  for (let i = 0; i < count; i++) {
    const sex = rng.chance(0.5) ? "male" : "female";
    const birth = `${rng.int(1940, 2006)}-${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`;
    yield {
      id: `p${i}`,
      values: {
        firstName: [given[sex].pick(rng)],
        lastName: [`${surnames.pick(rng)} ${surnames.pick(rng)}`],
        birthDate: [birth],
        gender: [sex],
      },
    };
  }
}
