// Tests for blocking: the variations a true pair shows (a day and month swapped, a nickname, a dropped maternal
// surname, a misspelt surname) still leave it a key in common, and strangers share none of the telling ones.
import assert from "node:assert/strict";
import { test } from "node:test";
import { blockingKeys } from "./blocking.ts";
import { prepareRecord } from "./prepare.ts";
import type { MatchRecord } from "./record.ts";

const keysOf = (values: MatchRecord["values"]) => blockingKeys(prepareRecord({ id: "r", values }));
const shared = (a: MatchRecord["values"], b: MatchRecord["values"]) => {
  const other = new Set(keysOf(b));
  return keysOf(a).filter((key) => other.has(key));
};

test("a day and month swapped at entry share the birth-date key", () => {
  const keys = shared({ birthDate: ["1980-03-07"] }, { birthDate: ["1980-07-03"] });
  assert.deepEqual(keys, ["b:1980:3:7"]);
  assert.deepEqual(shared({ birthDate: ["1980-03-07"] }, { birthDate: ["1981-03-07"] }), []);
});

test("a nickname, a dropped maternal surname and a misspelt surname keep a name key in common", () => {
  const formal = { firstName: ["José"], lastName: ["García"], secondLastName: ["López"] };
  assert.ok(shared(formal, { firstName: ["Pepe"], lastName: ["Garcia"] }).some((key) => key.startsWith("n:")));
  assert.ok(shared(formal, { firstName: ["Jose"], lastName: ["Garsia"] }).some((key) => key.startsWith("n:")));
  assert.deepEqual(shared(formal, { firstName: ["Ana"], lastName: ["Ruiz"] }), []);
});

test("identifiers, phones and e-mails are keys of their own, and each key comes once", () => {
  const keys = keysOf({ name: ["Ana Ruiz", "Ana Ruiz"], phone: ["+52 55 1234 5678"], email: ["ana@example.org"] });
  assert.equal(new Set(keys).size, keys.length);
  assert.ok(keys.some((key) => key.startsWith("p:")));
  assert.ok(keys.includes("e:ana@example.org"));
});
