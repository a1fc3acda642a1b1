// Tests for the decaying count-min sketch: counts never below the truth, close to it for the heavy values, and
// halved after one half-life.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DecayingCounts } from "./key-frequency.ts";

const HOUR = 3_600_000;

test("counts are never below the truth, and near it with a small table", () => {
  const counts = new DecayingCounts(48 * HOUR, 12);
  const truth = new Map<string, number>();
  for (let i = 0; i < 20_000; i++) {
    const key = `value-${i % 3 === 0 ? i % 7 : i}`;
    counts.add(key);
    truth.set(key, (truth.get(key) ?? 0) + 1);
  }
  let over = 0;
  for (const [key, count] of truth) {
    assert.ok(counts.count(key) >= count, `${key}: ${counts.count(key)} < ${count}`);
    over += counts.count(key) - count;
  }
  // 13,334 distinct values in 4,096 cells a row: collisions, but conservative update keeps them small.
  assert.ok(over / truth.size < 2, `mean overcount ${over / truth.size}`);
  assert.ok(Math.abs(counts.count("value-0") - (truth.get("value-0") ?? 0)) <= 3);
  assert.equal(counts.count("never-seen") < 3, true);
});

test("counts halve over one half-life of event time", () => {
  const counts = new DecayingCounts(10 * HOUR);
  counts.advance(0);
  for (let i = 0; i < 100; i++) counts.add("insurer");
  counts.advance(30 * 60_000);
  assert.equal(counts.count("insurer"), 100, "less than an hour: no decay step yet");
  counts.advance(10 * HOUR);
  assert.ok(Math.abs(counts.count("insurer") - 50) < 0.01);
  counts.advance(5 * HOUR);
  assert.ok(Math.abs(counts.count("insurer") - 50) < 0.01, "an earlier time changes nothing");
});
