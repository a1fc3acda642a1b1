// Tests for how prepared rows cross to the writer thread: whatever the values, they arrive exactly as sent.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type PreparedRows, packRows, ROWS_PER_INSERT, RowChunkBuilder, unpackRows } from "./bulk-write.ts";

const rowsOf = (statements: Array<string | null>, sourceRecord = "people.csv#2"): PreparedRows => ({
  entities: [["us:p-1", "Person"]],
  markings: [["m-1", "AMBER", 0, null]],
  provenance: [["pr-1", "us", sourceRecord, "2026-01-01", "import", "2026-01-01T00:00:00.000Z"]],
  // Two chunks, the second possibly empty, so that chunk boundaries are crossed too.
  statements: [statements.slice(0, 16), statements.slice(16)],
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

test("rows that repeat the row before in some columns arrive as sent, and cross shorter", () => {
  // Few distinct values, so that a column often holds what it held a row (eight values) earlier.
  const value = fc.constantFrom("us:p-1", "us:p-2", "name", "", null);
  fc.assert(
    fc.property(fc.array(value, { maxLength: 80 }), (statements) => {
      const rows = rowsOf(statements);
      assert.deepEqual(unpackRows(packRows(rows)), rows);
    }),
  );
  const entity = ["us:p-1", "0123456789abcdef", "name", "Ana", null, "provenance-of-record-2", "markings-1", null];
  const repeated = rowsOf([...entity, ...entity.map((v, i) => (i === 1 ? "fedcba9876543210" : v))]);
  const packed = packRows(repeated);
  assert.equal(packed.kind, "packed");
  assert.ok(
    packed.kind === "packed" && packed.statements.join("").length < repeated.statements.flat().join("\u0001").length,
  );
  assert.deepEqual(unpackRows(packed), repeated);
});

test("a value holding a separator travels as JSON and still arrives as sent", () => {
  for (const odd of ["odd\u0001record", "odd\u0002record", "odd\u0003record"]) {
    const rows = rowsOf(["a", null, ""], odd);
    const packed = packRows(rows);
    assert.equal(packed.kind, "json");
    assert.deepEqual(unpackRows(packed), rows);
  }
  assert.equal(packRows(rowsOf(["a", null, ""])).kind, "packed");
});

test("rows are chunked one INSERT's worth at a time, in order, never splitting a row", () => {
  const builder = new RowChunkBuilder(3);
  const rows = 2 * ROWS_PER_INSERT + 234;
  for (let row = 0; row < rows; row++) builder.forRow().push(`r${row}`, row, null);
  assert.deepEqual(
    builder.chunks.map((chunk) => chunk.length),
    [3 * ROWS_PER_INSERT, 3 * ROWS_PER_INSERT, 3 * 234],
  );
  const flat = builder.chunks.flat();
  for (let row = 0; row < rows; row++) assert.deepEqual(flat.slice(3 * row, 3 * row + 3), [`r${row}`, row, null]);
});
