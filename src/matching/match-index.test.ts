// The in-memory index: records added are found under variant spellings, removed ones are not, replaced ones update;
// its filters before scoring never drop a candidate that would score; its per-query slot table keeps marks apart.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { blockingKeys } from "./blocking.ts";
import { MatchIndex } from "./match-index.ts";
import { prepareRecord } from "./prepare.ts";
import { scorePair } from "./scoring.ts";
import { SlotMarks } from "./slot-marks.ts";

test("add, query under a variant spelling, replace and remove", () => {
  const index = new MatchIndex();
  index.add({ id: "a", values: { firstName: ["Francisco"], lastName: ["Vázquez Ruiz"], birthDate: ["1990-02-01"] } });
  index.add({ id: "b", values: { firstName: ["Ana"], lastName: ["Smith"], birthDate: ["1970-05-05"] } });
  const query = { id: "q", values: { name: ["Paco Basquez"], birthDate: ["1990-02-01"] } };
  assert.deepEqual(
    index.query(query).map((hit) => hit.id),
    ["a"],
  );
  index.add({ id: "a", values: { firstName: ["Francisco"], lastName: ["Vázquez Ruiz"], birthDate: ["1950-12-12"] } });
  assert.equal(index.size, 2);
  assert.equal(index.query(query, 0.85).length, 0, "the replaced record no longer matches");
  assert.equal(index.remove("b"), true);
  assert.equal(index.remove("b"), false);
  assert.equal(index.query({ id: "q2", values: { name: ["Ana Smith"], birthDate: ["1970-05-05"] } }).length, 0);
});

test("a record with dozens of aliases is found under its last one, past the keys a short list holds", () => {
  const index = new MatchIndex();
  const givens = (
    "Abel Bruno Camilo Dario Emilio Fausto Gonzalo Horacio Ismael Joaquin Lorenzo Mauricio Nicanor Octavio Patricio " +
    "Quirino Rodrigo Saturnino Tadeo Ulises Valentin Wenceslao Yago Zacarias Anselmo Baltasar Clemente Demetrio " +
    "Eleuterio Fulgencio Gervasio Hilario Inocencio Jacinto Leandro Macario Nazario Onofre Pancracio"
  ).split(" ");
  const surnames = (
    "Aguirre Beltran Cisneros Duarte Echeverria Fajardo Gallardo Heredia Iturbide Jaramillo Lozano Montoya Navarro " +
    "Ochoa Pacheco Quintero Rosales Salazar Tovar Urbina Valencia Zamora Arellano Bustamante Carrillo Delgado " +
    "Espinoza Fuentes Guerrero Huerta Ibarra Juarez Lara Meza Nunez Orozco Padilla Quiroga Serrano"
  ).split(" ");
  // Each alias has names of its own: the last one shares no key with the others.
  const aliases = givens.map((given, i) => `${given} ${surnames[i]}`);
  index.add({ id: "many", values: { name: ["Juan Perez"], alias: aliases, birthDate: ["1971-08-09"] } });
  const last = aliases.at(-1) as string;
  assert.deepEqual(
    index.query({ id: "q", values: { name: [last] } }).map((hit) => hit.id),
    ["many"],
  );
  assert.equal(index.query({ id: "q2", values: { name: ["Pancracio Zapata"], birthDate: ["1971-08-09"] } }).length, 0);
});

test("a person whose names were replaced and birth date mistyped is still a candidate at the same address", () => {
  const index = new MatchIndex();
  const address = { address: ["440 McCombie Street Rosedale"], city: ["Malvern East"], postalCode: ["5023"] };
  index.add({
    id: "org",
    values: { firstName: ["Hugo"], lastName: ["Alderson"], birthDate: ["1915-04-16"], ...address },
  });
  const query = {
    id: "dup",
    values: { firstName: ["Molly"], lastName: ["Webb"], birthDate: ["1951-04-16"], ...address },
  };
  assert.deepEqual(
    index.candidates(prepareRecord(query)).map((record) => record.id),
    ["org"],
  );
  const elsewhere = { ...query, values: { ...query.values, address: ["12 Other Road"], postalCode: ["2600"] } };
  assert.deepEqual(index.candidates(prepareRecord(elsewhere)), []);
});

test("many keys from one common name count as one kind of evidence: a namesake needs a second kind", () => {
  const index = new MatchIndex();
  // More namesakes than a rare block holds, so the name keys alone are not telling.
  for (let i = 0; i < 40; i++)
    index.add({
      id: `n${i}`,
      values: { firstName: ["José"], lastName: ["García"], birthDate: [`${1940 + i}-03-0${1 + (i % 9)}`] },
    });
  const query = { id: "q", values: { firstName: ["José"], lastName: ["García"], birthDate: ["1961-03-04"] } };
  assert.deepEqual(
    index.candidates(prepareRecord(query)).map((record) => record.id),
    ["n21"],
  );
});

test("a birth date shared by a few records makes them candidates; shared by dozens of strangers it does not", () => {
  const stranger = (i: number) => ({
    id: `s${i}`,
    values: {
      firstName: [`Given${String.fromCharCode(65 + i)}x`],
      lastName: [`Family${i}q`],
      birthDate: ["1980-06-15"],
    },
  });
  const query = { id: "q", values: { firstName: ["Unrelated"], lastName: ["Person"], birthDate: ["1980-06-15"] } };
  const index = new MatchIndex();
  for (let i = 0; i < 3; i++) index.add(stranger(i));
  // In a small file, a pair with nothing else in common may still be one person whose names were all replaced.
  assert.equal(index.candidates(prepareRecord(query)).length, 3);
  // In a national index the date is shared by dozens, and alone says nothing about who is who.
  for (let i = 3; i < 30; i++) index.add(stranger(i));
  assert.deepEqual(index.candidates(prepareRecord(query)), []);
  // A name key of another kind still brings the one who shares it.
  index.add({ id: "p", values: { firstName: ["Unrelated"], lastName: ["Persson"], birthDate: ["1980-06-15"] } });
  assert.deepEqual(
    index.candidates(prepareRecord(query)).map((record) => record.id),
    ["p"],
  );
});

// Random persons close enough to share blocking keys: a few names and spellings, birth dates around one year
// (some partial, some missing), and now and then a phone, e-mail, address or passport.
const personArbitrary = fc.record({
  firstName: fc.constantFrom("José", "Pepe", "Juan Carlos", "Juana"),
  lastName: fc.constantFrom("García López", "Garsia Lopez", "López García", "Hernández"),
  birthDate: fc.option(
    fc.oneof(
      fc.tuple(fc.integer({ min: 1979, max: 1981 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      fc.tuple(fc.integer({ min: 1979, max: 1981 }), fc.constant(0), fc.constant(0)),
    ),
  ),
  phone: fc.option(fc.constantFrom("+52 55 1234 5678", "+52 55 8765 4321")),
  email: fc.option(fc.constantFrom("jg@example.mx", "mg@example.mx")),
  address: fc.option(fc.constantFrom("Calle Reforma 12", "Avenida Juárez 40")),
  passportNumber: fc.option(fc.constantFrom("G1234567", "G7654321")),
  gender: fc.option(fc.constantFrom("male", "female")),
});

type PersonValues = typeof personArbitrary extends fc.Arbitrary<infer T> ? T : never;

function personRecord(id: string, person: PersonValues) {
  const values: Record<string, string[]> = { firstName: [person.firstName], lastName: [person.lastName] };
  if (person.birthDate) {
    const [year, month, day] = person.birthDate;
    values.birthDate = [
      month ? `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}` : `${year}`,
    ];
  }
  if (person.phone) values.phone = [person.phone];
  if (person.email) values.email = [person.email];
  if (person.address) values.address = [person.address];
  if (person.passportNumber) values.passportNumber = [person.passportNumber];
  if (person.gender) values.gender = [person.gender];
  return { id, values, country: "MX" };
}

test("a query returns exactly the candidates that score at the threshold: the index's own filters drop none", () => {
  fc.assert(
    fc.property(
      fc.array(personArbitrary, { minLength: 1, maxLength: 40 }),
      personArbitrary,
      fc.double({ min: 0.02, max: 0.98, noNaN: true }),
      (people, asked, threshold) => {
        const index = new MatchIndex();
        for (const [i, person] of people.entries()) index.add(personRecord(`p${i}`, person));
        index.remove("p0");
        const query = prepareRecord(personRecord("q", asked));
        const expected = index
          .candidates(query)
          .filter((candidate) => scorePair(query, candidate).score >= threshold)
          .map((candidate) => candidate.id)
          .sort();
        const found = index
          .query(query, threshold, Number.POSITIVE_INFINITY)
          .map((hit) => hit.id)
          .sort();
        assert.deepEqual(found, expected);
        assert.ok(!found.includes("p0"), "a removed record is never found");
      },
    ),
    { numRuns: 1000 },
  );
});

/**
 * Which records should be a query's candidates, worked out from the keys' text the slow way: those sharing an
 * identifier, phone or e-mail key, or a rare key (a birth date rarer still), or keys of two kinds. For indexes of a
 * few hundred records at most, whose keys are never too common to use.
 */
function expectedCandidates(records: Array<{ id: string; keys: string[] }>, query: string[]): string[] {
  const kindOf = (key: string) => {
    const prefix = key.slice(0, key.indexOf(":"));
    return ["n", "ni", "np", "n1"].includes(prefix) ? "name" : prefix.startsWith("a") ? "a" : prefix;
  };
  const sizes = new Map<string, number>();
  for (const { keys } of records) for (const key of keys) sizes.set(key, (sizes.get(key) ?? 0) + 1);
  const telling = (key: string) =>
    ["i", "p", "e"].includes(kindOf(key)) || (sizes.get(key) ?? 0) <= (kindOf(key) === "b" ? 8 : 32);
  return records
    .filter(({ keys }) => {
      const shared = keys.filter((key) => query.includes(key));
      return shared.some(telling) || new Set(shared.map(kindOf)).size >= 2;
    })
    .map(({ id }) => id)
    .sort();
}

test("candidates are the records sharing a telling key or keys of two kinds, in blocks common and rare alike", () => {
  // Up to 150 persons of four names and a few birth dates: blocks of names, of names and year and of birth dates
  // that hold dozens, on either side of the rare sizes.
  const crowded: fc.Arbitrary<PersonValues> = fc
    .tuple(
      personArbitrary,
      fc.option(fc.constantFrom<[number, number, number]>([1980, 1, 2], [1980, 2, 1], [1981, 1, 2], [1980, 0, 0])),
    )
    .map(([person, birthDate]) => ({ ...person, birthDate }));
  fc.assert(
    fc.property(fc.array(crowded, { minLength: 40, maxLength: 150, size: "max" }), personArbitrary, (people, asked) => {
      const index = new MatchIndex();
      const records = people.map((person, i) => personRecord(`p${i}`, person));
      for (const record of records) index.add(record);
      const query = prepareRecord(personRecord("q", asked));
      const keyed = records.map((record) => ({ id: record.id, keys: blockingKeys(prepareRecord(record)) }));
      assert.deepEqual(
        index
          .candidates(query)
          .map((candidate) => candidate.id)
          .sort(),
        expectedCandidates(keyed, blockingKeys(query)),
      );
    }),
    { numRuns: 150, endOnFailure: true },
  );
});

test("slot marks keep each slot's marks within a query, forget them at the next, and grow for large queries", () => {
  const marks = new SlotMarks();
  for (const slots of [10, 5000, 3]) {
    marks.begin(slots);
    const entries = new Map<number, number>();
    // Slots far apart and close together, as the blocks of a large index give them.
    for (let i = 0; i < slots; i++) {
      const slot = i % 2 === 0 ? i * 7919 : i;
      const entry = marks.entry(slot);
      assert.equal(marks.markAt(entry), 0, `slot ${slot} starts unmarked`);
      marks.setMarkAt(entry, (i % 7) + 1);
      entries.set(slot, (i % 7) + 1);
    }
    for (const [slot, mark] of entries) assert.equal(marks.markAt(marks.entry(slot)), mark);
  }
});

test("a candidate whose score is exactly the most it could reach is kept at a threshold just under that score", () => {
  // Same names, gender and e-mail, birth dates that disagree: the score is the ceiling the filters compute.
  const person = (id: string, birthDate: string) => ({
    id,
    values: {
      firstName: ["Juana"],
      lastName: ["Hernández"],
      gender: ["female"],
      email: ["jh@example.mx"],
      birthDate: [birthDate],
    },
  });
  const index = new MatchIndex();
  index.add(person("kept", "1950-01-01"));
  const query = prepareRecord(person("q", "1981-07-09"));
  const [candidate] = index.candidates(query);
  assert.ok(candidate);
  const score = scorePair(query, candidate).score;
  assert.deepEqual(
    index.query(query, score - 1e-9).map((hit) => hit.id),
    ["kept"],
  );
  assert.deepEqual(index.query(query, score + 1e-9), []);
});
