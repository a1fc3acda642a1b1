// The storage suite on PostgreSQL (needs DATABASE_URL), and a check that both engines give identical results.
import assert from "node:assert/strict";
import { test } from "node:test";
import { defineStorageSuite, storageScenario } from "./storage-suite.ts";
import { openTestPostgres, openTestSqlite } from "./test-databases.ts";

defineStorageSuite("PostgreSQL", openTestPostgres);

test("SQLite and PostgreSQL return the same results for the same operations", async () => {
  const sqlite = await openTestSqlite();
  const postgres = await openTestPostgres();
  try {
    const fromSqlite = await storageScenario(sqlite);
    const fromPostgres = await storageScenario(postgres);
    assert.equal(fromSqlite.length, fromPostgres.length);
    for (const [index, result] of fromSqlite.entries())
      assert.deepEqual(fromPostgres[index], result, `result ${index} differs`);
  } finally {
    await sqlite.close();
    await postgres.close();
  }
});
