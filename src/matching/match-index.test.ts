// The in-memory index: records added are found under variant spellings, removed ones are not, replaced ones update.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MatchIndex } from "./match-index.ts";
import { prepareRecord } from "./prepare.ts";

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
