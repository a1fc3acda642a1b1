// Insider-threat alerts over synthetic audit entries: each rule fires on its pattern with its evidence, and stays
// quiet for a user whose own baseline explains the activity.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { AuditEntry } from "../store/audit-repository.ts";
import { insiderThreatAlerts } from "./insider-threat.ts";

let seq = 0;
function entry(at: string, kind: string, actor: string, userId: string): AuditEntry {
  return { seq: seq++, at, kind, actor, details: JSON.stringify({ userId }), leaf_hash: "" };
}
const SINCE = "2026-11-15T00:00:00.000Z";
const day = (d: number, hour: number, minute = 0) => new Date(Date.UTC(2026, 10, d, hour, minute)).toISOString();

/** Past weeks of steady daytime work for a partner user: a few searches an hour. */
function baseline(userId: string, perHour: number, hours: number[]): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let d = 1; d <= 10; d++)
    for (const hour of hours)
      for (let i = 0; i < perHour; i++)
        entries.push(entry(day(d, hour, i), "federation.hits-served", "node:us", userId));
  return entries;
}

test("a burst far above the user's busiest hour is an alert; the same count from a busy user is not", () => {
  const entries = [...baseline("ana", 4, [14, 15]), ...baseline("bob", 50, [14])];
  for (let i = 0; i < 45; i++) entries.push(entry(day(20, 10, i), "federation.no-hit", "node:us", "ana"));
  for (let i = 0; i < 45; i++) entries.push(entry(day(20, 11, i), "federation.hits-served", "node:us", "bob"));
  const alerts = insiderThreatAlerts(entries, SINCE);
  const bursts = alerts.filter((alert) => alert.kind === "burst");
  assert.deepEqual(
    bursts.map((alert) => alert.who),
    ["node:us/ana"],
  );
  assert.equal(bursts[0]?.evidence.length, 45);
});

test("a local user's searches of the node's own records count: a burst of them is an alert", () => {
  const entries: AuditEntry[] = [];
  for (let d = 1; d <= 10; d++)
    for (let i = 0; i < 3; i++) entries.push(entry(day(d, 15, i), "match.query", "user:7", ""));
  for (let i = 0; i < 40; i++) entries.push(entry(day(20, 16, i), "match.query", "user:7", ""));
  const bursts = insiderThreatAlerts(entries, SINCE).filter((alert) => alert.kind === "burst");
  assert.deepEqual(
    bursts.map((alert) => [alert.who, alert.evidence.length]),
    [["user:7", 40]],
  );
});

test("night searches by a daytime user are an alert; a night-shift user's are not", () => {
  const entries = [...baseline("ana", 3, [15]), ...baseline("nia", 3, [3])];
  entries.push(entry(day(20, 3), "federation.hits-served", "node:us", "ana"));
  entries.push(entry(day(20, 3, 5), "federation.hits-served", "node:us", "nia"));
  const alerts = insiderThreatAlerts(entries, SINCE).filter((alert) => alert.kind === "off-hours");
  assert.deepEqual(
    alerts.map((alert) => alert.who),
    ["node:us/ana"],
  );
});

test("a day of searches that find nothing looks like fishing; a day with hits does not", () => {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < 30; i++) entries.push(entry(day(20, 9 + (i % 8), i), "federation.no-hit", "node:ca", "eve"));
  for (let i = 0; i < 30; i++)
    entries.push(
      entry(day(20, 9 + (i % 8), i), i % 3 ? "federation.no-hit" : "federation.hits-served", "node:ca", "joe"),
    );
  const alerts = insiderThreatAlerts(entries, SINCE).filter((alert) => alert.kind === "fishing");
  assert.deepEqual(
    alerts.map((alert) => [alert.who, alert.evidence.length]),
    [["node:ca/eve", 30]],
  );
});

test("many requests for details in a day are an alert", () => {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < 16; i++) entries.push(entry(day(21, 10, i), "exchange.request-received", "node:us", "ana"));
  for (let i = 0; i < 3; i++) entries.push(entry(day(21, 10, i), "exchange.request-received", "node:us", "bob"));
  const alerts = insiderThreatAlerts(entries, SINCE).filter((alert) => alert.kind === "bulk-requests");
  assert.deepEqual(
    alerts.map((alert) => alert.who),
    ["node:us/ana"],
  );
});

test("a partner touching protected sources again and again is probing; a single touch is left to the handler", () => {
  const entries = [
    entry(day(20, 10), "deconfliction.source-touched", "node:us", ""),
    entry(day(20, 11), "deconfliction.source-touched", "node:us", ""),
    entry(day(21, 9), "deconfliction.source-touched", "node:ca", ""),
    entry(day(2, 9), "deconfliction.source-touched", "node:ca", ""),
  ];
  const alerts = insiderThreatAlerts(entries, SINCE).filter((alert) => alert.kind === "source-probing");
  assert.deepEqual(
    alerts.map((alert) => [alert.who, alert.evidence.length]),
    [["node:us", 2]],
  );
});

test("a local user opening far more records in a day than ever before is an alert; a heavy reader's usual day is not", () => {
  const entries: AuditEntry[] = [];
  const read = (at: string, actor: string, id: string, status = 200) =>
    entries.push({
      seq: seq++,
      at,
      kind: "record.read",
      actor,
      details: JSON.stringify({ status, target: { id } }),
      leaf_hash: "",
    });
  for (let d = 1; d <= 10; d++)
    for (let i = 0; i < 20; i++) {
      read(day(d, 10, i), "user:7", `us:p-${d}-${i}`);
      for (const copy of [0, 1, 2]) read(day(d, 11, i), "user:8", `us:q-${d}-${i}-${copy}`);
    }
  // Day 20: user 7 opens 150 records (some twice), user 8 the same 150 (under three times their 60 a day), and
  // user 9, new, 99 — under the floor — plus reads refused as not found.
  for (let i = 0; i < 150; i++) {
    read(day(20, 9, i % 60), "user:7", `us:r-${i}`);
    read(day(20, 9, i % 60), "user:8", `us:r-${i}`);
  }
  read(day(20, 12), "user:7", "us:r-1");
  for (let i = 0; i < 99; i++) read(day(20, 13, i % 60), "user:9", `us:r-${i}`);
  for (let i = 0; i < 50; i++) read(day(20, 14, i % 60), "user:9", `us:hidden-${i}`, 404);
  const alerts = insiderThreatAlerts(entries, SINCE).filter((alert) => alert.kind === "bulk-reads");
  assert.deepEqual(
    alerts.map((alert) => [alert.who, alert.window, alert.evidence.length]),
    [["user:7", "2026-11-20", 151]],
  );
  assert.match(alerts[0]?.summary ?? "", /^150 records opened in a day; the busiest day before had 20$/u);
});
