// Tests for Jaro–Winkler, optimal-string-alignment distance and token-set similarity.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { damerauLevenshtein, jaroWinkler, tokenSetSimilarity } from "./similarity.ts";

const round3 = (x: number) => Math.round(x * 1000) / 1000;

test("jaroWinkler matches the published textbook values", () => {
  assert.equal(round3(jaroWinkler("MARTHA", "MARHTA")), 0.961);
  assert.equal(round3(jaroWinkler("DWAYNE", "DUANE")), 0.84);
  assert.equal(round3(jaroWinkler("DIXON", "DICKSONX")), 0.813);
  // Jaro alone (p = 0) for the same pairs: 0.944, 0.822, 0.767.
  assert.equal(round3(jaroWinkler("MARTHA", "MARHTA", 0)), 0.944);
  assert.equal(round3(jaroWinkler("DWAYNE", "DUANE", 0)), 0.822);
  assert.equal(round3(jaroWinkler("DIXON", "DICKSONX", 0)), 0.767);
  assert.equal(jaroWinkler("", ""), 1);
  assert.equal(jaroWinkler("abc", ""), 0);
  assert.equal(jaroWinkler("abc", "xyz"), 0);
  assert.equal(jaroWinkler("a", "a"), 1);
});

test("damerauLevenshtein is the optimal-string-alignment distance", () => {
  assert.equal(damerauLevenshtein("ca", "abc"), 3);
  assert.equal(damerauLevenshtein("abcdef", "abcfed"), 2);
  assert.equal(damerauLevenshtein("abcdef", "abcdfe"), 1);
  assert.equal(damerauLevenshtein("kitten", "sitting"), 3);
  assert.equal(damerauLevenshtein("martha", "marhta"), 1);
  assert.equal(damerauLevenshtein("", "abc"), 3);
  assert.equal(damerauLevenshtein("abc", ""), 3);
  assert.equal(damerauLevenshtein("", ""), 0);
  assert.equal(damerauLevenshtein("perez", "peres"), 1);
  // Bounded: anything beyond max reports max + 1.
  assert.equal(damerauLevenshtein("kitten", "sitting", 1), 2);
  assert.equal(damerauLevenshtein("kitten", "sitting", 3), 3);
  assert.equal(damerauLevenshtein("a", "abcdef", 2), 3);
  assert.equal(damerauLevenshtein("abcdef", "abcfed", 0), 1);
});

test("damerauLevenshtein with max agrees with the unbounded distance", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.nat(6), (a, b, max) => {
      const full = damerauLevenshtein(a, b);
      assert.equal(damerauLevenshtein(a, b, max), Math.min(full, max + 1));
      assert.equal(damerauLevenshtein(b, a), full);
      assert.ok(full <= Math.max(a.length, b.length));
      assert.equal(full === 0, a === b);
    }),
  );
});

test("jaroWinkler is symmetric, in [0, 1], and 1 for identical strings", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (a, b) => {
      const s = jaroWinkler(a, b);
      assert.ok(s >= 0 && s <= 1);
      assert.equal(jaroWinkler(b, a), s);
      assert.equal(jaroWinkler(a, a), 1);
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.stringMatching(/^[a-d]{0,10}$/), fc.stringMatching(/^[a-d]{0,10}$/), (a, b) => {
      assert.equal(jaroWinkler(a, b), jaroWinkler(b, a));
    }),
    { numRuns: 2000 },
  );
});

test("tokenSetSimilarity pairs tokens one-to-one", () => {
  assert.equal(tokenSetSimilarity(["jose", "luis"], ["luis", "jose"]), 1);
  assert.equal(tokenSetSimilarity([], []), 1);
  assert.equal(tokenSetSimilarity(["a"], []), 0);
  assert.equal(tokenSetSimilarity(["perez", "garcia"], ["garcia"]), 0.5);
  // One token cannot be used twice.
  assert.equal(tokenSetSimilarity(["garcia", "garcia"], ["garcia"]), 0.5);
  const exact = (x: string, y: string) => (x === y ? 1 : 0);
  assert.equal(tokenSetSimilarity(["a", "b", "c"], ["c", "x", "a"], exact), 2 / 3);
  // Greedy would pair a–a (0.9) and leave b–b at 0; the best assignment takes 0.8 + 0.8.
  const table: Record<string, number> = { "a|a": 0.9, "a|b": 0.8, "b|a": 0.8, "b|b": 0 };
  assert.ok(Math.abs(tokenSetSimilarity(["a", "b"], ["a", "b"], (x, y) => table[`${x}|${y}`] ?? 0) - 0.8) < 1e-12);
  // Scores outside [0, 1] from a custom comparison are clamped.
  assert.equal(
    tokenSetSimilarity(["a"], ["b"], () => 7),
    1,
  );
  assert.equal(
    tokenSetSimilarity(["a"], ["b"], () => Number.NaN),
    0,
  );
  // Long lists fall back to greedy pairing.
  const many = Array.from({ length: 14 }, (_, i) => `t${i}`);
  assert.equal(tokenSetSimilarity(many, [...many].reverse()), 1);
});

test("tokenSetSimilarity is symmetric, in [0, 1], and 1 for identical lists", () => {
  const tokens = fc.array(fc.stringMatching(/^[a-e]{1,6}$/), { maxLength: 6 });
  fc.assert(
    fc.property(tokens, tokens, (a, b) => {
      const s = tokenSetSimilarity(a, b);
      assert.ok(s >= 0 && s <= 1);
      assert.ok(Math.abs(tokenSetSimilarity(b, a) - s) < 1e-12);
      assert.ok(Math.abs(tokenSetSimilarity(a, a) - 1) < 1e-12);
    }),
  );
});
