// The storage suite on the embedded engine (SQLite through better-sqlite3, in WAL mode).
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import { defineStorageSuite } from "./storage-suite.ts";
import { openTestSqlite } from "./test-databases.ts";

defineStorageSuite("SQLite", openTestSqlite);

test("the SQLite file runs in write-ahead-log mode", async () => {
  const database = await openTestSqlite();
  const { rows } = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(database.db);
  assert.equal(rows[0]?.journal_mode, "wal");
  await database.close();
});
