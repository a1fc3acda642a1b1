// Tests for importFile against a real SQLite store: all-or-nothing writes, issues that name file, line and the
// column the user wrote, dry runs, markings layered from flags and columns, FtM JSON lines, idempotent re-imports.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import fc from "fast-check";
import { recordContext } from "../model/test-fixtures.ts";
import type { Database } from "../store/database.ts";
import { EntityRepository } from "../store/entity-repository.ts";
import { openTestSqlite } from "../store/test-databases.ts";
import {
  formatImportIssue,
  ImportFileError,
  type ImportOptions,
  ImportOptionsError,
  importFile,
} from "./import-service.ts";
import { MappingError } from "./mapping.ts";

const context = recordContext();

// Every test runs twice: with the rows written on the main thread, and from the SQLite writer thread that large
// files use, so both keep the all-or-nothing promise.
for (const threaded of [false, true])
  describe(threaded ? "writing from a writer thread" : "writing on the main thread", () => {
    let dir: string;
    let database: Database;
    let repository: EntityRepository;

    before(() => {
      dir = mkdtempSync(join(tmpdir(), "puente-import-"));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    beforeEach(async () => {
      await database?.close();
      database = await openTestSqlite();
      repository = new EntityRepository(database.db, database.sqliteFile);
    });
    after(async () => database?.close());

    function file(name: string, text: string): string {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    }

    function run(options: Omit<ImportOptions, "context" | "repository">) {
      return importFile({
        context,
        repository,
        parallelFromBytes: threaded ? 0 : Number.POSITIVE_INFINITY,
        ...options,
      });
    }

    async function counts(): Promise<{ entities: number; statements: number }> {
      const row = await database.db
        .selectFrom("statements")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      return { entities: await repository.countEntities(), statements: Number(row.n) };
    }

    const PEOPLE = [
      "folio,name,dob,markings.tlp,markings.releasableCountries,markings.criminalIntelligence,markings.reasonableSuspicion",
      'A-1,"López, Ana",01/02/1980,GREEN,MX;US,,',
      "A-2,Luis Pérez,15/07/1975,,,yes,Courier for a seized load",
      "",
    ].join("\n");

    test("a good CSV lands with values in canonical form and markings from columns over flags over node defaults", async () => {
      const path = file("people.csv", PEOPLE);
      const summary = await run({
        path,
        schema: "Person",
        idColumn: "folio",
        map: ["folio=idNumber,name=name,dob=birthDate:DD/MM/YYYY"],
        markings: { tlp: "RED", legalBasis: "Ley de la Guardia Nacional art. 9", reviewBy: "2027-01-01" },
      });
      assert.deepEqual(summary.issues, []);
      assert.equal(summary.written, true);
      assert.deepEqual([summary.records, summary.entities, summary.statements], [2, 2, 6]);
      assert.deepEqual(await counts(), { entities: 2, statements: 6 });

      const ana = await repository.getEntity("mx-fgr:A-1");
      assert.ok(ana);
      const birthDate = ana.statements.find((statement) => statement.property === "birthDate");
      assert.equal(birthDate?.value, "1980-02-01");
      assert.equal(birthDate?.originalValue, "01/02/1980");
      assert.equal(birthDate?.provenance.sourceRecord, "people.csv#2");
      assert.equal(birthDate?.provenance.recordedBy, "user:ana");
      assert.equal(birthDate?.markings.tlp, "GREEN", "a markings column wins over the --tlp flag");
      assert.deepEqual(birthDate?.markings.releasableCountries, ["MX", "US"]);
      assert.equal(
        birthDate?.markings.legalBasis,
        "Ley de la Guardia Nacional art. 9",
        "a flag wins over the node default",
      );
      assert.equal(birthDate?.markings.sourceGrade, "F", "the node default is used when nothing above gives one");
      assert.equal(birthDate?.markings.reviewBy, "2027-01-01");
      assert.equal(birthDate?.markings.criminalIntelligence, false);
      assert.deepEqual(ana.statements.find((statement) => statement.property === "idNumber")?.value, "A1");

      const luis = await repository.getEntity("mx-fgr:A-2");
      assert.ok(luis);
      for (const statement of luis.statements) {
        assert.equal(statement.markings.tlp, "RED", "an empty markings cell leaves the flag in force");
        assert.equal(statement.markings.criminalIntelligence, true);
        assert.equal(statement.markings.reasonableSuspicion, "Courier for a seized load");
        assert.equal(statement.provenance.sourceRecord, "people.csv#3");
      }
    });

    test("one bad line among good ones writes nothing and names the file, line and column", async () => {
      const path = file(
        "bad.csv",
        "id,nombre,nacimiento\n1,Ana López,01/02/1980\n2,Luis Pérez,31/02/1981\n3,Eva Díaz,03/04/1982\n",
      );
      const summary = await run({
        path,
        schema: "Person",
        idColumn: "id",
        map: ["nombre=name", "nacimiento=birthDate:DD/MM/YYYY"],
      });
      assert.equal(summary.written, false);
      assert.equal(summary.records, 3);
      assert.equal(summary.issues.length, 1);
      const [issue] = summary.issues;
      assert.ok(issue);
      assert.deepEqual([issue.file, issue.line, issue.field, issue.code], [path, 3, "nacimiento", "invalid_date"]);
      assert.match(formatImportIssue(issue), /bad\.csv:3: nacimiento: "31\/02\/1981" is not a valid date/u);
      assert.deepEqual(await counts(), { entities: 0, statements: 0 });
    });

    test("a bad line after batches were already written rolls all of them back", async () => {
      const lines = Array.from({ length: 4500 }, (_, i) => `p-${i},Person ${i},1980-01-01`);
      lines.push("p-bad,Last Person,1980-13-01");
      const path = file("long.csv", `id,name,birthDate\n${lines.join("\n")}\n`);
      const summary = await run({ path, schema: "Person", idColumn: "id" });
      assert.equal(summary.written, false);
      assert.deepEqual(
        summary.issues.map((issue) => [issue.line, issue.field]),
        [[4502, "birthDate"]],
      );
      assert.deepEqual(await counts(), { entities: 0, statements: 0 });
      const good = file("long-good.csv", `id,name,birthDate\n${lines.slice(0, -1).join("\n")}\n`);
      const written = await run({ path: good, schema: "Person", idColumn: "id" });
      assert.equal(written.written, true);
      assert.deepEqual(await counts(), { entities: 4500, statements: 9000 });
    });

    test("a bad markings cell is reported once, under the markings column and on its own line", async () => {
      const path = file("marks.csv", "name,markings.tlp\nAna,GREEN\nLuis,PURPLE\n");
      const summary = await run({ path, schema: "Person" });
      assert.deepEqual(
        summary.issues.map((issue) => [issue.line, issue.field, issue.code]),
        [[3, "markings.tlp", "invalid_tlp"]],
      );
      assert.deepEqual(await counts(), { entities: 0, statements: 0 });
    });

    test("a bad provenance cell is reported once for its row, not once per value", async () => {
      const path = file("prov.csv", "name,alias,provenance.collectedAt\nAna,Anita,2025-01-02\nLuis,Lucho,ayer\n");
      const summary = await run({ path, schema: "Person" });
      assert.deepEqual(
        summary.issues.map((issue) => [issue.line, issue.field, issue.code]),
        [[3, "provenance.collectedAt", "invalid_date"]],
      );
    });

    test("a dry run validates and counts but writes nothing", async () => {
      const path = file("dry.csv", PEOPLE);
      const summary = await run({
        path,
        schema: "Person",
        map: ["name=name,dob=birthDate:DD/MM/YYYY"],
        dryRun: true,
      });
      assert.deepEqual(summary.issues, []);
      assert.deepEqual([summary.records, summary.entities, summary.statements, summary.written], [2, 2, 4, false]);
      assert.deepEqual(await counts(), { entities: 0, statements: 0 });
    });

    test("FtM JSON lines: a line that is not JSON is an issue with its line number, and nothing is written", async () => {
      const path = file(
        "people.ftm.jsonl",
        [
          JSON.stringify({ id: "p-1", schema: "Person", properties: { name: ["Ana"] } }),
          "",
          "{not json",
          JSON.stringify({ id: "p-2", schema: "Person", properties: { name: ["Luis"], birthDate: ["1980-13-01"] } }),
          "[1, 2]",
        ].join("\r\n"),
      );
      const summary = await run({ path });
      assert.equal(summary.written, false);
      assert.equal(summary.records, 4, "blank lines are not records");
      assert.deepEqual(
        summary.issues.map((issue) => [issue.line, issue.field, issue.code]),
        [
          [3, "(line)", "invalid_json"],
          [4, "birthDate", "invalid_date"],
          [5, "(line)", "invalid_entity"],
        ],
      );
      assert.deepEqual(await counts(), { entities: 0, statements: 0 });
    });

    test("FtM: one entity spread over lines is merged; a second schema for the same id is an issue", async () => {
      const lines = [
        { id: "p-1", schema: "Person", properties: { name: ["Ana López"] } },
        { id: "p-2", schema: "Person", properties: { name: ["Luis"] } },
        { id: "mx-fgr:p-1", schema: "Person", properties: { birthDate: ["1980-02-01"], name: ["Ana López"] } },
      ];
      const path = file("spread.jsonl", `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`);
      const summary = await run({ path });
      assert.deepEqual(summary.issues, []);
      // "Ana López" on lines 1 and 3 has two sources, so two statements; plus the birth date and Luis's name.
      assert.deepEqual([summary.records, summary.entities, summary.statements], [3, 2, 4]);
      const ana = await repository.getEntity("mx-fgr:p-1");
      assert.deepEqual(ana?.statements.map((statement) => statement.provenance.sourceRecord).sort(), [
        "spread.jsonl#1",
        "spread.jsonl#3",
        "spread.jsonl#3",
      ]);

      const clash = file(
        "clash.jsonl",
        `${JSON.stringify({ id: "x-1", schema: "Person", properties: { name: ["Ana"] } })}\n${JSON.stringify({ id: "x-1", schema: "Company", properties: { name: ["Ana SA"] } })}\n`,
      );
      const clashed = await run({ path: clash });
      assert.deepEqual(
        clashed.issues.map((issue) => [issue.line, issue.field, issue.code]),
        [[2, "schema", "schema_mismatch"]],
      );
      assert.match(clashed.issues[0]?.message ?? "", /on line 1/u);
      assert.deepEqual(await counts(), { entities: 2, statements: 4 });
    });

    test("FtM: a record's own sourceRecord is kept; otherwise it is file#line", async () => {
      const path = file(
        "src.ndjson",
        `${JSON.stringify({ id: "p-1", schema: "Person", properties: { name: ["Ana"] }, provenance: { sourceRecord: "SIJE-2024-0042" } })}\n${JSON.stringify({ id: "p-2", schema: "Person", properties: { name: ["Luis"] } })}\n`,
      );
      assert.equal((await run({ path })).written, true);
      assert.equal(
        (await repository.getEntity("mx-fgr:p-1"))?.statements[0]?.provenance.sourceRecord,
        "SIJE-2024-0042",
      );
      assert.equal((await repository.getEntity("mx-fgr:p-2"))?.statements[0]?.provenance.sourceRecord, "src.ndjson#2");
    });

    test("re-importing the same file is idempotent", async () => {
      const csv = file("again.csv", PEOPLE);
      const options = { path: csv, schema: "Person", map: ["name=name,dob=birthDate:DD/MM/YYYY"] };
      const first = await run(options);
      const afterFirst = await counts();
      const second = await run(options);
      assert.deepEqual(
        [second.records, second.entities, second.statements, second.written],
        [first.records, first.entities, first.statements, true],
      );
      assert.deepEqual(await counts(), afterFirst);
      assert.deepEqual(afterFirst, { entities: 2, statements: 4 });

      const jsonl = file(
        "again.jsonl",
        `${JSON.stringify({ id: "p-9", schema: "Person", properties: { name: ["Eva"] } })}\n`,
      );
      await run({ path: jsonl });
      await run({ path: jsonl });
      assert.deepEqual(await counts(), { entities: 3, statements: 5 });
    });

    test("an entity stored with another schema is an issue at the line it first appears on, and nothing is written", async () => {
      await run({
        path: file(
          "first.jsonl",
          `${JSON.stringify({ id: "e-1", schema: "Company", properties: { name: ["Acme"] } })}\n`,
        ),
      });
      const before = await counts();
      const path = file(
        "second.jsonl",
        [
          JSON.stringify({ id: "e-2", schema: "Person", properties: { name: ["Luis"] } }),
          JSON.stringify({ id: "e-1", schema: "Person", properties: { name: ["Ana"] } }),
          JSON.stringify({ id: "e-1", schema: "Person", properties: { alias: ["Anita"] } }),
        ].join("\n"),
      );
      const summary = await run({ path });
      assert.equal(summary.written, false);
      assert.deepEqual(
        summary.issues.map((issue) => [issue.file, issue.line, issue.code]),
        [[path, 2, "schema_conflict"]],
      );
      assert.match(summary.issues[0]?.message ?? "", /mx-fgr:e-1 is a Company/u);
      assert.deepEqual(await counts(), before);
    });

    test("a missing or unreadable file throws ImportFileError naming it", async () => {
      const missing = join(dir, "nowhere.csv");
      await assert.rejects(run({ path: missing, schema: "Person" }), (error: unknown) => {
        assert.ok(error instanceof ImportFileError);
        assert.equal(error.file, missing);
        assert.match(error.message, /nowhere\.csv/u);
        return true;
      });
      const folder = join(dir, "folder.csv");
      mkdirSync(folder, { recursive: true });
      await assert.rejects(run({ path: folder, schema: "Person" }), ImportFileError);
    });

    test("wrong options fail before any row is read", async () => {
      const path = file("opts.csv", "nombre\nAna\n");
      await assert.rejects(run({ path, schema: "Person", map: ["nombre=nombre"] }), (error: unknown) => {
        assert.ok(error instanceof MappingError);
        assert.match(error.message, /--map "nombre=nombre"/u);
        return true;
      });
      await assert.rejects(run({ path, map: ["nombre=name"] }), /needs --schema/u);
      await assert.rejects(run({ path: file("x.txt", "") }), ImportOptionsError);
      await assert.rejects(run({ path: file("y.jsonl", ""), schema: "Person" }), ImportOptionsError);
      assert.deepEqual(await counts(), { entities: 0, statements: 0 });
    });

    test("malformed CSV and rows of the wrong width are issues with their lines", async () => {
      const width = await run({ path: file("width.csv", "name,alias\nAna,A\nLuis\n"), schema: "Person" });
      assert.deepEqual(
        width.issues.map((issue) => [issue.line, issue.field, issue.code]),
        [[3, "(row)", "field_count"]],
      );
      const quote = await run({ path: file("quote.csv", 'name,alias\nAna,A\n"Luis,L\n'), schema: "Person" });
      assert.deepEqual(
        quote.issues.map((issue) => [issue.line, issue.code]),
        [[3, "invalid_csv"]],
      );
      assert.deepEqual(await counts(), { entities: 0, statements: 0 });
    });

    test("issues stop at maxErrors, and progress is reported as records are read", async () => {
      const rows = Array.from({ length: 2500 }, (_, i) => `p${i},${i % 2 === 0 ? "1980-01-01" : "not a date"}`);
      const path = file("many.csv", `name,birthDate\n${rows.join("\n")}\n`);
      const progress: Array<[number, number | undefined]> = [];
      const limited = await run({ path, schema: "Person", maxErrors: 5 });
      assert.equal(limited.issues.length, 5);
      assert.deepEqual(
        limited.issues.map((issue) => issue.line),
        [3, 5, 7, 9, 11],
      );
      const good = file("good-many.csv", `name\n${rows.map((_, i) => `p${i}`).join("\n")}\n`);
      const summary = await run({
        path: good,
        schema: "Person",
        onProgress: (done, total) => progress.push([done, total]),
      });
      assert.equal(summary.written, true);
      assert.deepEqual(progress, [
        [1000, 2500],
        [2000, 2500],
        [2500, 2500],
      ]);
    });

    test("property: whatever FtM lines hold, the import lands whole or names each issue and writes nothing", async () => {
      const anything = fc.jsonValue({ maxDepth: 2 });
      const line = fc.oneof(
        {
          arbitrary: fc
            .record({
              id: fc.oneof(fc.constantFrom("p-1", "p-2", "mx:p-1", ""), anything),
              schema: fc.oneof(fc.constantFrom("Person", "Vehicle", "Organization", "Nope"), anything),
              properties: fc.oneof(
                fc.dictionary(
                  fc.constantFrom("name", "birthDate", "nationality", "phone", "idNumber", "registrationNumber", "x"),
                  fc.oneof(fc.array(fc.oneof(fc.string({ maxLength: 12 }), anything), { maxLength: 2 }), anything),
                  { maxKeys: 3 },
                ),
                anything,
              ),
            })
            .map((entity) => JSON.stringify(entity)),
          weight: 5,
        },
        { arbitrary: fc.string({ maxLength: 20 }), weight: 1 },
      );
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 6 }), async (lines) => {
          const before = await counts();
          const name = `fuzz-${n++}.jsonl`;
          const summary = await run({ path: file(name, lines.join("\n")) });
          if (summary.issues.length > 0) {
            assert.equal(summary.written, false);
            assert.deepEqual(await counts(), before, "nothing written");
            for (const issue of summary.issues) {
              assert.ok(
                issue.file.endsWith(name) && issue.line >= 1 && issue.line <= lines.length,
                JSON.stringify(issue),
              );
              assert.ok(issue.field.length > 0 && issue.message.length > 0, JSON.stringify(issue));
            }
          } else assert.equal(summary.written, true);
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 25), includeErrorInReport: true },
      );
    });

    test("formatImportIssue reads like a compiler message", () => {
      assert.equal(
        formatImportIssue({ file: "people.csv", line: 12, field: "dob", code: "invalid_date", message: "bad" }),
        "people.csv:12: dob: bad",
      );
      assert.equal(
        formatImportIssue({ file: "people.csv", line: 0, field: "(database)", code: "write_failed", message: "down" }),
        "people.csv: (database): down",
      );
    });
  });
