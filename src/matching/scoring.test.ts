// Behaviour of pair scoring on the cases that matter in cross-border work: nicknames and dropped surnames match,
// relatives and namesakes do not, and two different valid identifiers of one kind weigh strongly against.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { curpCheckDigit } from "../normalize/identifiers.ts";
import { prepareRecord } from "./prepare.ts";
import type { MatchRecord } from "./record.ts";
import { scorePair } from "./scoring.ts";
import { damerauLevenshtein } from "./similarity.ts";

const record = (id: string, values: MatchRecord["values"], country?: string): MatchRecord => ({
  id,
  values,
  ...(country ? { country } : {}),
});
const score = (a: MatchRecord, b: MatchRecord) => scorePair(prepareRecord(a), prepareRecord(b));
const curp = (first17: string) => first17 + curpCheckDigit(first17);

const mexican = record(
  "mx-1",
  {
    firstName: ["José Luis"],
    lastName: ["Hernández"],
    secondLastName: ["García"],
    birthDate: ["1984-03-07"],
    gender: ["H"],
    idNumber: [curp("HEGL840307HBCRRS0")],
  },
  "MX",
);

test("a US record with a nickname, no accents and the maternal surname dropped is a match, explained", () => {
  const us = record("us-1", { name: ["HERNANDEZ, PEPE LUIS"], birthDate: ["1984-03-07"], gender: ["M"] }, "US");
  const result = score(us, mexican);
  assert.equal(result.band, "match", JSON.stringify(result.explanation));
  const features = result.explanation.map((outcome) => outcome.feature);
  assert.ok(features.includes("family name") && features.includes("given name") && features.includes("birth date"));
});

test("day and month swapped at entry still matches; a sibling with another name and birth date does not", () => {
  const swapped = record("us-2", {
    firstName: ["Jose Luis"],
    lastName: ["Hernandez Garcia"],
    birthDate: ["1984-07-03"],
  });
  assert.equal(score(swapped, mexican).band, "match");
  const sibling = record("us-3", {
    firstName: ["Maria Elena"],
    lastName: ["Hernandez Garcia"],
    birthDate: ["1987-11-21"],
  });
  assert.equal(score(sibling, mexican).band, "no-match");
});

test("a father with the same name a generation older is not the son", () => {
  const father = record("us-4", {
    firstName: ["José Luis"],
    lastName: ["Hernández García"],
    birthDate: ["1958-03-07"],
  });
  assert.equal(score(father, mexican).band, "no-match");
});

test("two different valid CURPs weigh strongly against, even with the same name and birth date", () => {
  const other = record(
    "mx-2",
    {
      firstName: ["José Luis"],
      lastName: ["Hernández"],
      secondLastName: ["García"],
      birthDate: ["1984-03-07"],
      idNumber: [curp("HEGL840307HSRRRS0")],
    },
    "MX",
  );
  const result = score(other, mexican);
  assert.notEqual(result.band, "match");
  assert.ok(
    result.explanation.some((o) => o.feature === "curp" && o.weight < -5),
    JSON.stringify(result.explanation),
  );
});

test("a changed surname with the same given name, birth date and home is a match; a twin at that home is not", () => {
  const home = { address: ["1 Tallara Parkway"], city: ["Wangaratta"], postalCode: ["2213"] };
  const maiden = record("a", { firstName: ["Tori"], lastName: ["Fleet"], birthDate: ["1960-11-01"], ...home });
  const married = record("b", { firstName: ["Tori"], lastName: ["Keogh"], birthDate: ["1960-11-01"], ...home });
  const changed = score(maiden, married);
  assert.equal(changed.band, "match");
  assert.ok(changed.explanation.some((o) => o.feature === "family name" && o.outcome.includes("changed surname")));
  // Without the home, a shared given name and birth date are what strangers in a national index share.
  const { address, city, postalCode, ...elsewhere } = married.values;
  assert.notEqual(score(maiden, record("c", elsewhere)).band, "match");
  // Nor does a twin, who shares the surname, birth date and home but not the given name.
  const twin = record("d", { firstName: ["Mia"], lastName: ["Fleet"], birthDate: ["1960-11-01"], ...home });
  assert.notEqual(score(maiden, twin).band, "match");
});

test("a code of no known kind is one identifier: agreeing counts as much as a checked one, unless a placeholder", () => {
  // A seven-digit number fits a phone, a plate and a passport by shape; read as all three, one typo cost three times.
  const prepared = prepareRecord(record("a", { idNumber: ["1613259"] }));
  assert.deepEqual([...prepared.identifiers.keys()], ["id"]);
  const person = { firstName: ["Reeve"], lastName: ["Quilliam"], birthDate: ["1981-04-06"] };
  const weightOf = (result: ReturnType<typeof score>) => result.explanation.find((o) => o.feature === "id");
  const same = score(
    record("a", { ...person, idNumber: ["1067923"] }),
    record("b", { ...person, idNumber: ["1067923"] }),
  );
  assert.deepEqual(weightOf(same), { feature: "id", outcome: "same", weight: 9 });
  const placeholder = score(
    record("a", { ...person, idNumber: ["0000000"] }),
    record("b", { ...person, idNumber: ["0000000"] }),
  );
  assert.ok((weightOf(placeholder)?.weight ?? 9) < 9, JSON.stringify(placeholder.explanation));
});

test("an unchecked code one keystroke from the other counts for the pair; two valid ones that differ count against", () => {
  const person = { firstName: ["Taylah"], lastName: ["Webb"], birthDate: ["1916-07-29"] };
  const transposed = score(
    record("a", { ...person, idNumber: ["7328160"] }),
    record("b", { ...person, idNumber: ["7328106"] }),
  );
  assert.ok(
    transposed.explanation.some((o) => o.feature === "id" && o.outcome === "one character apart" && o.weight > 0),
    JSON.stringify(transposed.explanation),
  );
  // Two valid SSNs a digit apart are two people (twins are often numbered in sequence).
  const twins = score(
    record("a", { ...person, idNumber: ["123-45-6789"] }),
    record("b", { ...person, idNumber: ["123-45-6788"] }),
  );
  assert.ok(
    twins.explanation.some((o) => o.feature === "ssn" && o.weight < -5),
    JSON.stringify(twins.explanation),
  );
});

test("a name entered in the other field is recognised; a maternal surname filed as a middle name is not one", () => {
  const home = { birthDate: ["1964-03-14"], idNumber: ["4307152"], address: ["12 Ranken Place"], postalCode: ["0870"] };
  const moved = score(
    record("a", { firstName: ["Jordan"], lastName: ["Lavis"], ...home }),
    record("b", { firstName: ["Lavis"], lastName: ["Henry"], ...home }),
  );
  assert.equal(moved.band, "match", JSON.stringify(moved.explanation));
  assert.ok(moved.explanation.some((o) => o.outcome === "one name in the other field, the other differs"));
  // Both names swapped, with a particle the family name files without.
  const swapped = score(
    record("a", { firstName: ["Chelsea"], lastName: ["van Groesen"], birthDate: ["1991-02-11"] }),
    record("b", { firstName: ["van Groesen"], lastName: ["Chelsea"], birthDate: ["1991-02-11"] }),
  );
  assert.ok(
    swapped.explanation.some((o) => o.outcome === "given and family swapped"),
    JSON.stringify(swapped),
  );
  // A twin whose US record files the maternal surname as a middle name: the surname is in place, not moved.
  const twin = score(
    record("us", { firstName: ["Luis"], middleName: ["Garcia"], lastName: ["Rojas"], birthDate: ["1994-08-14"] }),
    record("mx", { firstName: ["Abel"], lastName: ["Rojas"], secondLastName: ["García"], birthDate: ["1994-08-14"] }),
  );
  assert.ok(!twin.explanation.some((o) => o.feature === "name"), JSON.stringify(twin.explanation));
  assert.equal(twin.band, "no-match");
});

test("scores are in [0,1] and symmetric", () => {
  const us = record("us-5", { firstName: ["Joe"], lastName: ["Hernandes"], birthDate: ["1984"] });
  const forward = score(us, mexican);
  const backward = score(mexican, us);
  assert.ok(forward.score >= 0 && forward.score <= 1);
  assert.equal(forward.score, backward.score);
});

test("a birth date's month and day one typo apart: one digit or two neighbouring digits, as their text would be", () => {
  const typo = (a: string, b: string) =>
    scorePair(
      prepareRecord({ id: "a", values: { birthDate: [a] } }),
      prepareRecord({ id: "b", values: { birthDate: [b] } }),
    ).explanation.find((outcome) => outcome.feature === "birth date")?.outcome === "one digit differs";
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 28 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 28 }),
      (m1, d1, m2, d2) => {
        const pad = (n: number) => String(n).padStart(2, "0");
        const [x, y] = [`${pad(m1)}${pad(d1)}`, `${pad(m2)}${pad(d2)}`];
        const swapped = m1 === d2 && d1 === m2;
        if (x === y || swapped) return;
        const expected = damerauLevenshtein(x, y, 1) <= 1;
        assert.equal(typo(`1980-${pad(m1)}-${pad(d1)}`, `1980-${pad(m2)}-${pad(d2)}`), expected, `${x} ${y}`);
      },
    ),
    { numRuns: 2000 },
  );
});
