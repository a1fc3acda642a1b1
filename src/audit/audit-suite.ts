// The audit log's test suite, run on every engine (audit-log.test.ts on SQLite, audit-log.pg-test.ts on PostgreSQL):
// entries and signed heads verify; an entry changed in the database is named; a rewrite that also recomputes the
// hashes is caught against a head signed before it; proofs check against a signed head. Retention: entries past it
// lose their details while the log, its heads and its proofs still verify; stripping entries any other way is named.
// Oversight's search of the log filters the same way on every engine.
import assert from "node:assert/strict";
import { after, beforeEach, describe, test } from "node:test";
import { sql } from "kysely";
import { canonicalJson } from "../crypto/canonical-json.ts";
import { generateNodeKeyPair } from "../crypto/keys.ts";
import { type AuditQuery, AuditRepository, PRUNED_KIND } from "../store/audit-repository.ts";
import type { Database } from "../store/database.ts";
import { AuditLog } from "./audit-log.ts";
import { leafHash, verifyConsistency, verifyInclusion } from "./merkle.ts";
import { DAY_MS, PRUNE_KIND } from "./retention.ts";

const keys = generateNodeKeyPair();

export function defineAuditSuite(engine: string, open: () => Promise<Database>): void {
  describe(`audit log on ${engine}`, () => {
    let database: Database;
    let log: AuditLog;

    beforeEach(async () => {
      await database?.close();
      database = await open();
      log = new AuditLog(new AuditRepository(database.db), { nodeId: "mx", ...keys });
    });
    after(async () => database?.close());

    async function fill(count: number): Promise<void> {
      await Promise.all(
        Array.from({ length: count }, (_, i) =>
          log.append({
            kind: "federation.search",
            actor: `user:u${i}`,
            details: { purpose: `case ${i}`, status: 200 },
          }),
        ),
      );
    }

    test("entries appended at once get dense positions, and the log with its signed heads verifies", async () => {
      await fill(20);
      await log.signHead();
      await fill(7);
      const { head } = await log.signHead();
      assert.equal(head.size, 27);
      assert.deepEqual(await log.verify(), { entries: 27, heads: 2 });
    });

    test("an entry appended inside a transaction scope stands or falls with it; others take their turn", async () => {
      const scopes = database.transactions;
      log = new AuditLog(new AuditRepository(database.db), { nodeId: "mx", ...keys }, undefined, scopes);
      await fill(3);
      const event = (actor: string) => ({ kind: "record.write", actor, details: { status: 201 } });
      const undone = await scopes.open();
      assert.equal(await scopes.enter(undone, () => log.append(event("user:undone"))), 3);
      await scopes.rollback(undone);
      assert.equal(await log.size(), 3, "the entry went with the scope");

      const kept = await scopes.open();
      assert.equal(await scopes.enter(kept, () => log.append(event("user:kept"))), 3);
      // Appended outside while the scope holds its entry: numbered after it once it commits.
      const outside = log.append(event("user:outside"));
      // Give the outside append time to begin its own transaction (on PostgreSQL it would otherwise number itself
      // from the size before the scope's entry, and collide with it at the commit).
      await new Promise((resolve) => setTimeout(resolve, 50));
      await scopes.commit(kept);
      assert.equal(await outside, 4);
      const entries = await new AuditRepository(database.db).entries(3, 10);
      assert.deepEqual(
        entries.map((entry) => [entry.seq, entry.actor]),
        [
          [3, "user:kept"],
          [4, "user:outside"],
        ],
      );
      await log.signHead();
      assert.deepEqual(await log.verify(), { entries: 5, heads: 1 });
      const proof = await log.inclusion(3, 5);
      assert.ok(proof.length > 0, "the kept tree has the scope's entry");
    });

    test("entries are searched newest first, by kind, kind prefix, actor, time and position", async () => {
      await fill(6);
      for (const kind of ["record.write", "recordXwrite", "record_write"])
        await log.append({ kind, actor: "node:ca", details: {} });
      const repository = new AuditRepository(database.db);
      const seqs = async (query: Omit<AuditQuery, "limit">, limit = 100) =>
        (await repository.search({ ...query, limit })).map((entry) => entry.seq);
      assert.deepEqual(await seqs({}), [8, 7, 6, 5, 4, 3, 2, 1, 0]);
      assert.deepEqual(await seqs({}, 2), [8, 7]);
      assert.deepEqual(await seqs({ before: 7 }, 2), [6, 5]);
      assert.deepEqual(await seqs({ kind: "record.write" }), [6]);
      // "_" and "%" in a prefix are themselves, not wildcards.
      assert.deepEqual(await seqs({ kindPrefix: "record_" }), [8]);
      assert.deepEqual(await seqs({ kindPrefix: "record" }), [8, 7, 6]);
      assert.deepEqual(await seqs({ kindPrefix: "%" }), []);
      assert.deepEqual(await seqs({ actor: "user:u3" }), [3]);
      assert.deepEqual(await seqs({ actor: "node:ca", kindPrefix: "record." }), [6]);
      const [entry] = await repository.entries(0, 1);
      assert.ok(entry, "the first entry");
      assert.deepEqual(await seqs({ from: entry.at, to: entry.at }), []);
      assert.equal((await seqs({ from: entry.at })).length, 9);
      assert.deepEqual(await seqs({ to: "2000-01-01T00:00:00.000Z" }), []);
    });

    /** An insider rewrites entry `seq` and recomputes its leaf hash, so that the entry checks out on its own. */
    async function rewrite(seq: number): Promise<void> {
      const rows = await database.db.selectFrom("audit_log").selectAll().where("seq", "=", seq).execute();
      const row = rows[0];
      assert.ok(row);
      const details = canonicalJson({ purpose: "rewritten", status: 200 });
      const leaf = leafHash(
        canonicalJson({ seq, at: row.at, kind: row.kind, actor: row.actor, details: JSON.parse(details) }),
      );
      await sql`UPDATE audit_log SET details = ${details}, leaf_hash = ${leaf.toString("hex")} WHERE seq = ${seq}`.execute(
        database.db,
      );
    }

    test("a running log's heads re-read a window of the kept leaves in turn; a rewrite there reaches a head", async () => {
      log = new AuditLog(new AuditRepository(database.db), { nodeId: "mx", ...keys }, undefined, undefined, 4);
      await fill(10);
      const original = (await log.signHead()).head.rootHash;
      await rewrite(9);
      assert.equal((await log.signHead()).head.rootHash, original, "leaves 0–3 read as kept");
      assert.equal((await log.signHead()).head.rootHash, original, "leaves 4–7 read as kept");
      assert.notEqual((await log.signHead()).head.rootHash, original, "leaf 9 differs: the head is the database's");
      assert.match((await log.verify()).problem ?? "", /history was rewritten/u);
    });

    test("an entry changed in the database is named", async () => {
      await fill(10);
      await sql`UPDATE audit_log SET details = ${canonicalJson({ purpose: "nothing to see", status: 200 })} WHERE seq = 6`.execute(
        database.db,
      );
      const report = await log.verify();
      assert.equal(report.firstBadEntry, 6);
      assert.match(report.problem ?? "", /does not match its hash/u);
    });

    test("a rewrite that recomputes the hashes is caught against a head signed before it", async () => {
      await fill(8);
      await log.signHead();
      await fill(4);
      await log.signHead();
      await rewrite(9);
      const report = await log.verify();
      assert.equal(report.firstBadEntry, 8, "the first entry after the last head that still holds");
      assert.match(report.problem ?? "", /history was rewritten/u);
    });

    test("inclusion and consistency proofs check against the signed roots", async () => {
      await fill(5);
      const { head: older } = await log.signHead();
      await fill(9);
      const { head: newer } = await log.signHead();
      const entries = await new AuditRepository(database.db).entries(0, 100);
      const proof = (await log.inclusion(3, newer.size)).map((hex) => Buffer.from(hex, "hex"));
      assert.ok(
        verifyInclusion(
          Buffer.from(entries[3]?.leaf_hash ?? "", "hex"),
          3,
          newer.size,
          proof,
          Buffer.from(newer.rootHash, "hex"),
        ),
      );
      const consistency = (await log.consistency(older.size, newer.size)).map((hex) => Buffer.from(hex, "hex"));
      assert.ok(
        verifyConsistency(
          older.size,
          newer.size,
          consistency,
          Buffer.from(older.rootHash, "hex"),
          Buffer.from(newer.rootHash, "hex"),
        ),
      );
    });

    test("a deleted entry and two swapped entries are each named", async () => {
      await fill(10);
      await sql`DELETE FROM audit_log WHERE seq = 4`.execute(database.db);
      const afterDelete = await log.verify();
      assert.equal(afterDelete.firstBadEntry, 4);
      assert.match(afterDelete.problem ?? "", /missing/u);

      await database.close();
      database = await open();
      log = new AuditLog(new AuditRepository(database.db), { nodeId: "mx", ...keys });
      await fill(10);
      // Swap the contents of entries 2 and 7 (positions stay): each no longer matches its position's hash.
      const rows = await database.db
        .selectFrom("audit_log")
        .selectAll()
        .where("seq", "in", [2, 7])
        .orderBy("seq")
        .execute();
      const [two, seven] = rows;
      assert.ok(two && seven);
      for (const [target, source] of [
        [2, seven],
        [7, two],
      ] as const)
        await sql`UPDATE audit_log SET at = ${source.at}, actor = ${source.actor}, details = ${source.details}, leaf_hash = ${source.leaf_hash} WHERE seq = ${target}`.execute(
          database.db,
        );
      const afterSwap = await log.verify();
      assert.equal(afterSwap.firstBadEntry, 2);
    });

    const hexes = (proof: string[]) => proof.map((hex) => Buffer.from(hex, "hex"));

    /** A log whose clock the test moves, starting on 10 January 2025. */
    function logWithClock(): { log: AuditLog; advanceDays: (days: number) => void } {
      let now = Date.parse("2025-01-10T09:00:00.000Z");
      return {
        log: new AuditLog(new AuditRepository(database.db), { nodeId: "mx", ...keys }, () => new Date(now)),
        advanceDays: (days) => {
          now += days * DAY_MS;
        },
      };
    }

    test("entries past the retention lose their details; the log, its heads and earlier proofs still verify", async () => {
      const clock = logWithClock();
      log = clock.log;
      await fill(5);
      const { head: older } = await log.signHead();
      const proof = await log.inclusion(2, older.size);
      clock.advanceDays(200);
      await fill(3);
      clock.advanceDays(200);
      const repository = new AuditRepository(database.db);
      const before = await repository.entries(0, 100);

      const report = await log.prune(365, "user:oversight-1");
      assert.deepEqual(report, { retentionDays: 365, before: "2025-02-14T09:00:00.000Z", through: 4, entries: 5 });
      const after = await repository.entries(0, 100);
      for (const [seq, entry] of before.slice(0, 5).entries())
        assert.deepEqual(after[seq], { ...entry, kind: PRUNED_KIND, actor: "", details: "{}" }, `entry ${seq}`);
      assert.deepEqual(after.slice(5, 8), before.slice(5, 8), "entries within the retention are untouched");
      const logged = after[8];
      assert.equal(logged?.kind, PRUNE_KIND);
      assert.equal(logged?.actor, "user:oversight-1");
      assert.deepEqual(JSON.parse(logged?.details ?? ""), report);

      const reopened = new AuditLog(repository, { nodeId: "mx", ...keys });
      assert.deepEqual(await reopened.verify(), { entries: 9, heads: 1 });
      const leaf = Buffer.from(before[2]?.leaf_hash ?? "", "hex");
      assert.ok(verifyInclusion(leaf, 2, older.size, hexes(proof), Buffer.from(older.rootHash, "hex")));
      assert.deepEqual(await reopened.inclusion(2, older.size), proof, "the same proof, made from the pruned log");
      const { head: newer } = await reopened.signHead();
      const consistency = hexes(await reopened.consistency(older.size, newer.size));
      assert.ok(
        verifyConsistency(
          older.size,
          newer.size,
          consistency,
          Buffer.from(older.rootHash, "hex"),
          Buffer.from(newer.rootHash, "hex"),
        ),
      );
      assert.deepEqual(await reopened.verify(), { entries: 9, heads: 2 });

      const again = await log.prune(365, "system");
      assert.equal(again.entries, 0);
      assert.equal(await log.size(), 9, "a prune with nothing old enough logs nothing");
    });

    test("entries stripped of their details other than by a prune that allows it are named", async () => {
      const clock = logWithClock();
      log = clock.log;
      await fill(6);
      clock.advanceDays(400);
      await log.prune(365, "system");
      await fill(2);
      assert.equal((await log.verify()).problem, undefined);
      const strip = (through: number, from = 0) =>
        sql`UPDATE audit_log SET kind = ${PRUNED_KIND}, actor = '', details = '{}' WHERE seq BETWEEN ${from} AND ${through}`.execute(
          database.db,
        );
      const forgePrune = (before: string) =>
        log.append({
          kind: PRUNE_KIND,
          actor: "system",
          details: { retentionDays: 365, before, through: 8, entries: 3 },
        });

      // An insider strips entry 7 as a prune would, though entry 6 (the prune) kept its details.
      await strip(7, 7);
      assert.deepEqual(await log.verify(), {
        entries: 7,
        heads: 0,
        firstBadEntry: 7,
        problem: "the entry lost its details though an entry before it kept them",
      });
      // Then everything up to 8, the prune that covered 0–5 included.
      await strip(8);
      const uncovered = await log.verify();
      assert.equal(uncovered.firstBadEntry, 0);
      assert.match(uncovered.problem ?? "", /no prune in the log covers them/u);
      // A prune logged to cover them with a retention under a year is itself named.
      const forged = await forgePrune("2026-02-14T09:00:00.000Z");
      const short = await log.verify();
      assert.equal(short.firstBadEntry, forged);
      assert.match(short.problem ?? "", /less than the minimum retention of 365 days/u);
      // One that claims a year names the first entry it stripped that was younger than that: 6, logged on day 400.
      await sql`DELETE FROM audit_log WHERE seq = ${forged}`.execute(database.db);
      await forgePrune("2025-02-14T09:00:00.000Z");
      const young = await log.verify();
      assert.equal(young.firstBadEntry, 6);
      assert.match(young.problem ?? "", /before its retention ran out/u);
    });

    test("a retention under a year and the kind that marks pruned entries are refused", async () => {
      await assert.rejects(log.prune(364, "system"), /at least 365 days/u);
      await assert.rejects(log.append({ kind: PRUNED_KIND, actor: "system", details: {} }), /no event/u);
    });
  });
}
