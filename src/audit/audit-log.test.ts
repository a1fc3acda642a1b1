// The audit log: entries and signed heads verify; an entry changed in the database is named; a rewrite that also
// recomputes the hashes is caught against a head signed before it; proofs check against a signed head.
import assert from "node:assert/strict";
import { after, beforeEach, test } from "node:test";
import { sql } from "kysely";
import { canonicalJson } from "../crypto/canonical-json.ts";
import { generateNodeKeyPair } from "../crypto/keys.ts";
import { AuditRepository } from "../store/audit-repository.ts";
import type { Database } from "../store/database.ts";
import { openTestSqlite } from "../store/test-databases.ts";
import { AuditLog } from "./audit-log.ts";
import { leafHash, verifyConsistency, verifyInclusion } from "./merkle.ts";

const keys = generateNodeKeyPair();
let database: Database;
let log: AuditLog;

beforeEach(async () => {
  await database?.close();
  database = await openTestSqlite();
  log = new AuditLog(new AuditRepository(database.db), { nodeId: "mx", ...keys });
});
after(async () => database?.close());

async function fill(count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      log.append({ kind: "federation.search", actor: `user:u${i}`, details: { purpose: `case ${i}`, status: 200 } }),
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
  // The insider rewrites entry 9 and recomputes its leaf hash so the entry checks out on its own.
  const rows = await database.db.selectFrom("audit_log").selectAll().where("seq", "=", 9).execute();
  const row = rows[0];
  assert.ok(row);
  const details = canonicalJson({ purpose: "rewritten", status: 200 });
  const leaf = leafHash(
    canonicalJson({ seq: 9, at: row.at, kind: row.kind, actor: row.actor, details: JSON.parse(details) }),
  );
  await sql`UPDATE audit_log SET details = ${details}, leaf_hash = ${leaf.toString("hex")} WHERE seq = 9`.execute(
    database.db,
  );
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
  database = await openTestSqlite();
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
