// Tests for migrations that move data: a database written under an older schema reads the same afterwards.
import assert from "node:assert/strict";
import { test } from "node:test";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { EntityRepository } from "./entity-repository.ts";
import { migrateUpTo } from "./migrations.ts";
import type { Tables } from "./tables.ts";

const OLD_STATEMENT = {
  id: "s-1",
  entity_id: "us:p-1",
  property: "name",
  value: "Ana María López",
  original_value: "ANA MARIA LOPEZ",
  origin_node: "us",
  source_record: "people.csv#2",
  collected_at: "2025-12-01",
  recorded_by: "import",
  recorded_at: "2026-01-02T03:04:05.000Z",
  retracted_at: "2026-02-01T00:00:00.000Z",
  markings_id: "m-1",
};

test("0010 moves every statement's provenance to its own table and keeps what each statement says", async () => {
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: new SQLite(":memory:") }) });
  try {
    await migrateUpTo(db as Kysely<unknown>, "0009-witnessed-heads");
    const old = db as unknown as Kysely<{ statements: typeof OLD_STATEMENT }>;
    await db
      .insertInto("entities")
      .values({ id: "us:p-1", schema: "Person", created_at: "2026-01-02", updated_at: "2026-01-02" })
      .execute();
    await db
      .insertInto("markings")
      .values({
        id: "m-1",
        tlp: "AMBER",
        source_grade: "B",
        info_grade: "2",
        handling_code: "H2",
        releasable_countries: "[]",
        releasable_agencies: "[]",
        use_restrictions: "[]",
        legal_basis: "test",
        criminal_intelligence: 0,
        reasonable_suspicion: null,
        review_by: "2030-01-01",
        grading_origin: null,
      })
      .execute();
    // Two statements of one source record share one provenance row after the move; a third has its own.
    await old
      .insertInto("statements")
      .values([
        OLD_STATEMENT,
        {
          ...OLD_STATEMENT,
          id: "s-2",
          property: "birthDate",
          value: "1985-05-01",
          original_value: "",
          retracted_at: "",
        },
        { ...OLD_STATEMENT, id: "s-3", source_record: "people.csv#3" },
      ])
      .execute();

    assert.deepEqual((await migrateUpTo(db as Kysely<unknown>)).slice(0, 1), ["0010-narrow-statements"]);

    const statement = await new EntityRepository(db).getStatement("us:p-1", "s-1");
    assert.deepEqual(
      {
        value: statement?.value,
        originalValue: statement?.originalValue,
        provenance: statement?.provenance,
        recordedAt: statement?.recordedAt,
        retractedAt: statement?.retractedAt,
        tlp: statement?.markings.tlp,
      },
      {
        value: OLD_STATEMENT.value,
        originalValue: OLD_STATEMENT.original_value,
        provenance: { originNode: "us", sourceRecord: "people.csv#2", collectedAt: "2025-12-01", recordedBy: "import" },
        recordedAt: OLD_STATEMENT.recorded_at,
        retractedAt: OLD_STATEMENT.retracted_at,
        tlp: "AMBER",
      },
    );
    const entity = await new EntityRepository(db).getEntity("us:p-1");
    assert.deepEqual(entity?.statements.map((s) => [s.id, s.provenance.sourceRecord]).sort(), [
      ["s-1", "people.csv#2"],
      ["s-2", "people.csv#2"],
      ["s-3", "people.csv#3"],
    ]);
    const { n } = await db
      .selectFrom("provenance")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    assert.equal(n, 2);
    const tables = (await db.introspection.getTables()).map((table) => table.name);
    assert.ok(!tables.includes("statements_0001"));
  } finally {
    await db.destroy();
  }
});
