// Tests for how prepared rows cross to the writer thread: whatever the values, they arrive exactly as sent.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type PreparedRows, packRows, unpackRows } from "./bulk-write.ts";

const rowsOf = (statements: Array<string | null>, sourceRecord = "people.csv#2"): PreparedRows => ({
  entities: ["us:p-1", "Person"],
  markings: ["m-1", "AMBER", 0, null],
  provenance: ["pr-1", "us", sourceRecord, "2026-01-01", "import", "2026-01-01T00:00:00.000Z"],
  statements,
  statementCount: statements.length / 8,
});

test("packed rows arrive as sent, nulls, empty strings and all", () => {
  fc.assert(
    fc.property(fc.array(fc.option(fc.string({ unit: "grapheme" }), { nil: null })), (statements) => {
      const rows = rowsOf(statements);
      assert.deepEqual(unpackRows(packRows(rows)), rows);
    }),
  );
});

test("a value holding a separator travels as JSON and still arrives as sent", () => {
  const rows = rowsOf(["a", null, ""], "odd\u0001record\u0002");
  const packed = packRows(rows);
  assert.equal(packed.kind, "json");
  assert.deepEqual(unpackRows(packed), rows);
  assert.equal(packRows(rowsOf(["a", null, ""])).kind, "packed");
});
