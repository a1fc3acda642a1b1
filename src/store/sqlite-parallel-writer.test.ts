// Tests for the SQLite writer thread: batches commit together, a failure of the caller or of the worker rolls
// everything back, and a conflict found by the worker reaches the caller as the same error the main thread raises.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, beforeEach, test } from "node:test";
import { recordContext } from "../model/test-fixtures.ts";
import { buildEntity } from "../model/validate.ts";
import { SchemaConflictError } from "./bulk-write.ts";
import type { Database } from "./database.ts";
import { EntityRepository, prepareRows } from "./entity-repository.ts";
import { parallelSqliteWrite } from "./sqlite-parallel-writer.ts";
import { openTestSqlite } from "./test-databases.ts";

const NOW = "2026-03-01T12:00:00.000Z";
let database: Database;
let repository: EntityRepository;

beforeEach(async () => {
  await database?.close();
  database = await openTestSqlite();
  repository = new EntityRepository(database.db, database.sqliteFile);
});
after(async () => database?.close());

function rowsOf(schema: string, ids: string[]) {
  return prepareRows(
    ids.map((id) => {
      const built = buildEntity({ id, schema, properties: { name: [`Name ${id}`] } }, recordContext());
      assert.ok(built.ok);
      return built.entity;
    }),
  );
}

const batch = (from: number, count: number) => Array.from({ length: count }, (_, i) => `p-${from + i}`);

test("batches written from the thread are all visible after the commit", async () => {
  const result = await repository.bulkWrite(
    NOW,
    async (writer) => {
      for (let i = 0; i < 5; i++) await writer.write(rowsOf("Person", batch(i * 100, 100)));
      return "done";
    },
    { parallel: true },
  );
  assert.equal(result, "done");
  assert.equal(await repository.countEntities("Person"), 500);
  const entity = await repository.getEntity("mx-fgr:p-499");
  assert.equal(entity?.statements[0]?.value, "Name p-499");
});

test("a write made with newGeneration changes the generation, from the thread as on the main thread", async () => {
  const before = await repository.generation();
  await repository.bulkWrite(NOW, (writer) => writer.write(rowsOf("Person", ["g-1"])), { parallel: true });
  assert.equal(await repository.generation(), before, "an ordinary write keeps the generation");
  await repository.bulkWrite(NOW, (writer) => writer.write(rowsOf("Person", ["g-2"])), {
    parallel: true,
    newGeneration: true,
  });
  const afterThread = await repository.generation();
  assert.notEqual(afterThread, before);
  await repository.bulkWrite(NOW, (writer) => writer.write(rowsOf("Person", ["g-3"])), { newGeneration: true });
  assert.notEqual(await repository.generation(), afterThread);
});

test("an error in the caller's work rolls back every batch already sent", async () => {
  const failure = new Error("line 9000 is bad");
  await assert.rejects(
    repository.bulkWrite(
      NOW,
      async (writer) => {
        for (let i = 0; i < 4; i++) await writer.write(rowsOf("Person", batch(i * 100, 100)));
        await writer.flush();
        throw failure;
      },
      { parallel: true },
    ),
    (error) => error === failure,
  );
  assert.equal(await repository.countEntities(), 0);
});

test("an id stored under another schema stops the write with SchemaConflictError, and nothing is kept", async () => {
  await repository.bulkWrite(NOW, (writer) => writer.write(rowsOf("Company", ["p-150"])));
  await assert.rejects(
    repository.bulkWrite(
      NOW,
      async (writer) => {
        for (let i = 0; i < 3; i++) await writer.write(rowsOf("Person", batch(i * 100, 100)));
        await writer.flush();
      },
      { parallel: true },
    ),
    (error) =>
      error instanceof SchemaConflictError && error.entityId === "mx-fgr:p-150" && error.existing === "Company",
  );
  assert.equal(await repository.countEntities(), 1);
});

test("a file the thread cannot open fails the write instead of hanging", async () => {
  const dir = mkdtempSync(join(tmpdir(), "puente-writer-"));
  try {
    // A directory where the database file should be: the worker's open fails.
    await assert.rejects(
      parallelSqliteWrite(
        dir,
        NOW,
        async (writer) => {
          await writer.write(rowsOf("Person", ["p-1"]));
          await writer.flush();
        },
        { newGeneration: false },
      ),
      /SQLite writer/u,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
