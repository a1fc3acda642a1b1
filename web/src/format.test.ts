// Dates, numbers and durations come out in the user's language; partial dates show only what is known.
import assert from "node:assert/strict";
import { test } from "node:test";
import { formatters } from "./format.ts";

test("a full date is written the way each language writes it", () => {
  assert.equal(formatters("en").date("2024-03-05"), "Mar 5, 2024");
  assert.equal(formatters("es").date("2024-03-05"), "5 mar 2024");
  assert.equal(formatters("fr").date("2024-03-05"), "5 mars 2024");
});

test("partial dates show the year, or the month and year, and nothing invented", () => {
  assert.equal(formatters("en").date("1985"), "1985");
  assert.equal(formatters("es").date("1985-03"), "marzo de 1985");
  assert.equal(formatters("fr").date(undefined), "");
  assert.equal(formatters("fr").date("not a date"), "not a date");
});

test("numbers use the language's separators", () => {
  assert.equal(formatters("en").number(12345.678, 1), "12,345.7");
  assert.equal(formatters("es").number(12345.678, 1), "12.345,7");
  assert.equal(formatters("fr").number(12345.678, 1).replace(/\s/gu, " "), "12 345,7");
});

test("durations count down in days, hours and minutes, negative once overdue", () => {
  const hour = 3_600_000;
  assert.equal(formatters("en").duration(26 * hour + 5 * 60_000), "1d 2h");
  assert.equal(formatters("en").duration(2 * hour + 5 * 60_000), "2h 5m");
  assert.equal(formatters("en").duration(-30 * 60_000), "-30m");
});
