// Linking two files and deduplicating one: a pair that lacks a birth date on one side is linked only when neither
// record has a rival candidate as strong (a namesake at the same address), and its explanation says so.
import assert from "node:assert/strict";
import { test } from "node:test";
import { linkRecords } from "./link.ts";
import { prepareRecord } from "./prepare.ts";
import type { MatchRecord } from "./record.ts";
import { CAPPED_SCORE, isCapped, scorePair } from "./scoring.ts";

const person = (id: string, birthDate?: string): MatchRecord => ({
  id,
  values: {
    firstName: ["Jean"],
    lastName: ["Tremblay"],
    address: ["1250 rue Sainte-Catherine Montréal"],
    phone: ["+1 514 555 0199"],
    ...(birthDate ? { birthDate: [birthDate] } : {}),
  },
  country: "CA",
});
const other = (id: string): MatchRecord => ({
  id,
  values: { firstName: ["Marie"], lastName: ["Gagnon"], birthDate: ["1990-02-11"], address: ["8 rue Peel Québec"] },
  country: "CA",
});

const pairs = (links: ReturnType<typeof linkRecords>) => links.map((link) => `${link.leftId}→${link.rightId}`);

test("alone, a pair without a birth date on one side is capped below the match band", () => {
  const score = scorePair(prepareRecord(person("us-1")), prepareRecord(person("qc-1", "1961-05-04")));
  assert.ok(isCapped(score), JSON.stringify(score.explanation));
  assert.equal(score.score, CAPPED_SCORE);
  assert.equal(score.band, "possible");
});

test("a capped pair whose records have no rival in the other file is linked, saying why", () => {
  const links = linkRecords([person("us-1"), other("us-2")], [person("qc-1", "1961-05-04"), other("qc-2")]);
  assert.deepEqual(pairs(links).sort(), ["us-1→qc-1", "us-2→qc-2"]);
  const lifted = links.find((link) => link.leftId === "us-1");
  assert.equal(lifted?.score.band, "match");
  assert.ok(lifted && lifted.score.score > CAPPED_SCORE);
  assert.ok(
    lifted?.score.explanation.some((outcome) => outcome.outcome.includes("neither record has another candidate")),
    JSON.stringify(lifted?.score.explanation),
  );
});

test("a namesake at the same address in the other file keeps both capped pairs out", () => {
  const links = linkRecords(
    [person("us-1"), other("us-2")],
    [person("qc-father", "1961-05-04"), person("qc-son", "1988-09-30"), other("qc-2")],
  );
  assert.deepEqual(pairs(links), ["us-2→qc-2"]);
});

test("a threshold under the capped score reports capped pairs as they are", () => {
  const links = linkRecords([person("us-1")], [person("qc-father", "1961-05-04"), person("qc-son", "1988-09-30")], {
    threshold: 0.8,
  });
  assert.deepEqual(pairs(links).sort(), ["us-1→qc-father", "us-1→qc-son"]);
  assert.ok(links.every((link) => isCapped(link.score) && link.score.score === CAPPED_SCORE));
});

test("deduplication lifts the cap of an unrivalled pair and keeps it for a record with two namesakes", () => {
  assert.deepEqual(pairs(linkRecords([person("a"), person("b", "1961-05-04"), other("c")], undefined)), ["a→b"]);
  const rivalled = linkRecords([person("a"), person("b", "1961-05-04"), person("d", "1988-09-30")], undefined);
  assert.deepEqual(pairs(rivalled), []);
});
