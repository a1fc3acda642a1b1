// Import throughput: writes a FollowTheMoney JSON-lines file of synthetic persons, imports it with importFile into
// a fresh SQLite file (and PostgreSQL when DATABASE_URL is set), and compares with the goal and with a raw
// better-sqlite3 insert of the very same rows, the most the storage itself can do.
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { finished } from "node:stream/promises";
import { parseArgs } from "node:util";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { importFile } from "../src/importer/import-service.ts";
import { type Database, openDatabase } from "../src/store/database.ts";
import { EntityRepository } from "../src/store/entity-repository.ts";
import { openTestPostgres } from "../src/store/test-databases.ts";
import { machineSpeed } from "./machine-speed.ts";

const GOAL_ENTITIES_PER_SECOND = 20_000;
const STATEMENTS_PER_RECORD = 6;
const SEED = 20260115;

const context = {
  nodeId: "us-bench",
  country: "US",
  defaultMarkings: {
    tlp: "AMBER",
    sourceGrade: "B",
    infoGrade: "2",
    legalBasis: "benchmark data",
    criminalIntelligence: false,
  },
  recordedBy: "bench",
  recordedAt: "2026-01-15T10:00:00.000Z",
};

/** mulberry32: small, fast and the same on every machine, so every run imports the same file. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_NAMES = [
  "Ana",
  "José",
  "María",
  "Luis",
  "Carmen",
  "Juan",
  "Guadalupe",
  "Jesús",
  "Sofía",
  "Miguel",
  "John",
  "Mary",
  "James",
  "Patricia",
  "Robert",
  "Jennifer",
  "Michael",
  "Linda",
  "Jean",
  "Marie",
  "Pierre",
  "Nathalie",
  "François",
  "Isabelle",
  "Émilie",
  "Olivier",
  "Chloé",
  "Mathieu",
  "Ximena",
  "Santiago",
];
const LAST_NAMES = [
  "García",
  "Hernández",
  "López",
  "Martínez",
  "González",
  "Pérez",
  "Rodríguez",
  "Sánchez",
  "Ramírez",
  "Cruz",
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Miller",
  "Davis",
  "Wilson",
  "Tremblay",
  "Gagnon",
  "Roy",
  "Côté",
  "Bouchard",
  "Gauthier",
  "Morin",
  "Lavoie",
  "Fortin",
  "Gagné",
  "Ouellet",
  "Pelletier",
];
// Real area codes, so the numbers are possible ones and validation takes its normal path.
const PHONE_PREFIXES: Record<string, string[]> = {
  US: ["+1 212", "+1 305", "+1 415", "+1 713", "+1 202"],
  MX: ["+52 55", "+52 33", "+52 81", "+52 664", "+52 656"],
  CA: ["+1 416", "+1 514", "+1 604", "+1 613", "+1 403"],
};
const COUNTRIES = Object.keys(PHONE_PREFIXES);

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function digits(random: () => number, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += Math.floor(random() * 10);
  return out;
}

/** A valid number for the prefix: NANP exchanges start with 2–9; Mexican numbers have ten digits after +52. */
function phoneNumber(random: () => number, prefix: string): string {
  if (prefix.startsWith("+1 "))
    return `${prefix} ${2 + Math.floor(random() * 8)}${digits(random, 2)} ${digits(random, 4)}`;
  const areaDigits = prefix.length - "+52 ".length;
  return `${prefix} ${digits(random, 10 - areaDigits)}`;
}

/** Writes `records` persons with six property values each as FtM JSON lines. */
export async function writePersons(path: string, records: number): Promise<void> {
  const random = prng(SEED);
  const out = createWriteStream(path);
  for (let i = 0; i < records; i++) {
    const firstName = pick(random, FIRST_NAMES);
    const lastName = pick(random, LAST_NAMES);
    const nationality = pick(random, COUNTRIES);
    const prefix = pick(random, PHONE_PREFIXES[nationality] ?? []);
    const year = 1940 + Math.floor(random() * 65);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const record = {
      id: `person-${i}`,
      schema: "Person",
      properties: {
        name: [`${firstName} ${lastName}`],
        firstName: [firstName],
        lastName: [lastName],
        birthDate: [`${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`],
        nationality: [nationality],
        phone: [phoneNumber(random, prefix)],
      },
    };
    if (!out.write(`${JSON.stringify(record)}\n`))
      await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  out.end();
  await finished(out);
}

interface Timing {
  seconds: number;
  entities: number;
  statements: number;
}

async function timeImport(
  path: string,
  database: Database | undefined,
  dryRun: boolean,
  parallelFromBytes?: number,
): Promise<Timing> {
  // A dry run never writes, but importFile still wants a repository; an in-memory one costs nothing.
  const db = database ?? (await openDatabase({ sqlitePath: ":memory:" }));
  try {
    const started = performance.now();
    const repository = new EntityRepository(db.db, db.sqliteFile);
    const summary = await importFile({
      path,
      context,
      repository,
      dryRun,
      ...(parallelFromBytes ? { parallelFromBytes } : {}),
    });
    const seconds = (performance.now() - started) / 1000;
    if (summary.issues.length > 0)
      throw new Error(`the benchmark file has issues: ${JSON.stringify(summary.issues.slice(0, 3))}`);
    if (!dryRun && !summary.written) throw new Error("the import did not write");
    return { seconds, entities: summary.entities, statements: summary.statements };
  } finally {
    if (!database) await db.close();
  }
}

/** Inserts the rows an import stored, with prepared statements in one transaction: the storage's own ceiling. */
async function rawSqlite(imported: string, dir: string): Promise<Timing> {
  const path = join(dir, "raw.db");
  await (await openDatabase({ sqlitePath: path })).close();
  const source = new SQLite(imported, { readonly: true });
  const tables = ["entities", "markings", "provenance", "statements"].map((name) => {
    const select = source.prepare(`SELECT * FROM ${name}`);
    return { name, width: select.columns().length, rows: select.raw().all() as unknown[][] };
  });
  source.close();

  const target = new SQLite(path);
  target.pragma("journal_mode = WAL");
  target.pragma("synchronous = NORMAL");
  target.pragma("foreign_keys = ON");
  const inserts = tables.map((table) => ({
    rows: table.rows,
    insert: target.prepare(`INSERT INTO ${table.name} VALUES (${Array(table.width).fill("?").join(", ")})`),
  }));
  const started = performance.now();
  target.transaction(() => {
    for (const { rows, insert } of inserts) for (const row of rows) insert.run(row);
  })();
  const seconds = (performance.now() - started) / 1000;
  target.close();
  const count = (name: string) => tables.find((table) => table.name === name)?.rows.length ?? 0;
  return { seconds, entities: count("entities"), statements: count("statements") };
}

const rate = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString("en-US");

function report(label: string, timing: Timing): void {
  console.log(
    `${label.padEnd(40)} ${timing.seconds.toFixed(2).padStart(7)} s  ${rate(timing.entities, timing.seconds).padStart(9)} entities/s  ${rate(timing.statements, timing.seconds).padStart(10)} statements/s`,
  );
}

export function sqliteVersion(): string {
  const db = new SQLite(":memory:");
  try {
    return (db.prepare("SELECT sqlite_version() AS version").get() as { version: string }).version;
  } finally {
    db.close();
  }
}

async function postgresVersion(database: Database): Promise<string> {
  const { rows } = await sql<{ server_version: string }>`SHOW server_version`.execute(database.db);
  return rows[0]?.server_version ?? "unknown";
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { records: { type: "string", default: "100000" } } });
  const records = Number(values.records);
  if (!Number.isInteger(records) || records < 1) throw new RangeError(`--records must be a positive integer`);

  const dir = mkdtempSync(join(tmpdir(), "puente-bench-import-"));
  const postgres = process.env.DATABASE_URL ? await openTestPostgres() : undefined;
  try {
    const file = join(dir, "persons.ftm.jsonl");
    await writePersons(file, records);
    const cpu = cpus();
    console.log("import benchmark: importFile on a FollowTheMoney JSON-lines file of synthetic persons");
    console.log(`  records:               ${records.toLocaleString("en-US")} Person (seed ${SEED})`);
    console.log(
      `  statements per record: ${STATEMENTS_PER_RECORD} (name, firstName, lastName, birthDate, nationality, phone)`,
    );
    console.log(`  engines:               SQLite ${sqliteVersion()} (better-sqlite3, WAL, fresh file)`);
    console.log(
      `                         ${postgres ? `PostgreSQL ${await postgresVersion(postgres)} (fresh database)` : "PostgreSQL: skipped, DATABASE_URL not set"}`,
    );
    console.log(`  node:                  ${process.version}`);
    console.log(`  CPU:                   ${cpu[0]?.model ?? "unknown"} × ${cpu.length} cores`);
    console.log(`  ${machineSpeed()}`);
    console.log("");

    const dryRun = await timeImport(file, undefined, true);
    report("validate only (dry run)", dryRun);

    const sqlitePath = join(dir, "import.db");
    const sqlite = await openDatabase({ sqlitePath });
    let sqliteTiming: Timing;
    try {
      sqliteTiming = await timeImport(file, sqlite, false);
    } finally {
      await sqlite.close();
    }
    report("SQLite: importFile (writer thread)", sqliteTiming);
    const oneThreadPath = join(dir, "one-thread.db");
    const oneThreadDatabase = await openDatabase({ sqlitePath: oneThreadPath });
    try {
      report(
        "SQLite: importFile, one thread",
        await timeImport(file, oneThreadDatabase, false, Number.POSITIVE_INFINITY),
      );
    } finally {
      await oneThreadDatabase.close();
    }
    const writing = { ...sqliteTiming, seconds: Math.max(0.001, sqliteTiming.seconds - dryRun.seconds) };
    report("  beyond validation (import − dry run)", writing);
    const raw = await rawSqlite(sqlitePath, dir);
    report("SQLite: raw prepared insert, same rows", raw);

    if (postgres) report("PostgreSQL: importFile", await timeImport(file, postgres, false));
    else console.log("PostgreSQL: skipped, DATABASE_URL not set");

    const perSecond = sqliteTiming.entities / sqliteTiming.seconds;
    console.log("");
    console.log(
      `goal: ≥ ${GOAL_ENTITIES_PER_SECOND.toLocaleString("en-US")} entities/s on SQLite — ${perSecond >= GOAL_ENTITIES_PER_SECOND ? "met" : "NOT met"} (${rate(sqliteTiming.entities, sqliteTiming.seconds)} entities/s, ${Math.round((100 * perSecond) / GOAL_ENTITIES_PER_SECOND)}% of the goal)`,
    );
    console.log(
      `baseline: the raw insert of the same rows (no parsing, validation or query builder; one prepared statement in one transaction) takes ${raw.seconds.toFixed(2)} s; importFile takes ${(sqliteTiming.seconds / raw.seconds).toFixed(1)}× as long, the time it spends beyond validation is ${(writing.seconds / raw.seconds).toFixed(1)}× the raw insert`,
    );
    if (raw.entities / raw.seconds < GOAL_ENTITIES_PER_SECOND)
      console.log(
        `note: even the raw insert stays below the goal here (${rate(raw.entities, raw.seconds)} entities/s), so the goal needs storage changes, not only a faster importer`,
      );
  } finally {
    await postgres?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
