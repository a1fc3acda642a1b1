// The in-memory index: records added are found under variant spellings, removed ones are not, replaced ones update.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MatchIndex } from "./match-index.ts";

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
