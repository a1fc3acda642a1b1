// Fresh, throw-away databases for tests: a temporary SQLite file, or a new database on the PostgreSQL server
// named by DATABASE_URL (CI starts one; see .ci/run).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type Database, openDatabase } from "./database.ts";

export async function openTestSqlite(): Promise<Database> {
  const dir = mkdtempSync(join(tmpdir(), "puente-test-"));
  const database = await openDatabase({ sqlitePath: join(dir, "node.db") });
  return {
    ...database,
    close: async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export class MissingDatabaseUrlError extends Error {}

/** Creates a database of its own on the server in DATABASE_URL and drops it on close. */
export async function openTestPostgres(): Promise<Database> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl)
    throw new MissingDatabaseUrlError(
      "the PostgreSQL suite needs DATABASE_URL, e.g. postgres://postgres:postgres@127.0.0.1:5432/postgres",
    );
  const name = `puente_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  return {
    ...database,
    close: async () => {
      await database.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name}`);
      await cleanup.end();
    },
  };
}
