// Dates: canonical ISO forms, explicit formats, and instants read strictly from what comes over the wire.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { normalizeDate, parseInstant } from "./dates.ts";

test("an instant is an ISO 8601 date-time with a zone; what Date.parse alone would guess at is not one", () => {
  fc.assert(
    fc.property(fc.date({ min: new Date("1900-01-01"), max: new Date("2200-01-01"), noInvalidDate: true }), (date) => {
      assert.equal(parseInstant(date.toISOString()), date.getTime());
    }),
  );
  assert.equal(parseInstant("2026-03-01T15:05:00+01:00"), Date.parse("2026-03-01T14:05:00Z"));
  // Each of these Date.parse reads as some day (the first as 1 February 2001).
  for (const guess of ["=U{;.e]!b{&2", "0", "2026-03-01", "March 1, 2026", "2026-03-01 14:05", "1 2 3"]) {
    assert.ok(!Number.isNaN(Date.parse(guess)), `Date.parse reads ${guess}`);
    assert.ok(Number.isNaN(parseInstant(guess)), guess);
  }
  assert.ok(Number.isNaN(parseInstant(undefined)));
  assert.ok(Number.isNaN(parseInstant("2026-02-30T25:61:00Z")));
});

test("dates: partial ISO dates are kept, impossible ones refused, other layouts only with a format", () => {
  assert.deepEqual(normalizeDate("1984-03"), { ok: true, value: "1984-03" });
  assert.equal(normalizeDate("1984-02-30").ok, false);
  assert.equal(normalizeDate("07/03/1984").ok, false);
  assert.deepEqual(normalizeDate("07/03/1984", "DD/MM/YYYY"), { ok: true, value: "1984-03-07" });
});
