// Opens the node's database: an embedded SQLite file (WAL) by default, PostgreSQL when a URL is given.
// Everything above this module talks to Kysely and does not know which engine it has.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { migrateToLatest } from "./migrations.ts";
import type { Tables } from "./tables.ts";
import { TransactionScopes } from "./transaction-scope.ts";

export type Engine = "sqlite" | "postgres";

export interface Database {
  db: Kysely<Tables>;
  engine: Engine;
  /** Transactions around work that does not know about them (a request and its audit entry). */
  transactions: TransactionScopes;
  /** The SQLite file, when the engine is SQLite on disk. */
  sqliteFile?: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL; when absent the SQLite file is used. */
  databaseUrl?: string | undefined;
  /** Path of the SQLite file, or ":memory:". */
  sqlitePath?: string | undefined;
}

const STATEMENT_CACHE_SIZE = 256;
const PAGE_SIZE = 8192;

/**
 * Kysely's SQLite driver prepares every query anew; parsing the same SQL again for every batch of a bulk write
 * costs as much as the writing. This keeps recently used prepared statements, keyed by their SQL text.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sqlText: string) {
      let statement = cache.get(sqlText);
      if (statement) {
        cache.delete(sqlText);
      } else {
        statement = sqlite.prepare(sqlText);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sqlText, statement);
      return statement;
    },
  };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let db: Kysely<Tables>;
  let engine: Engine;
  let sqliteFile: string | undefined;
  const transactions = new TransactionScopes();
  if (options.databaseUrl) {
    engine = "postgres";
    db = new Kysely<Tables>({
      dialect: transactions.wrap(
        new PostgresDialect({ pool: new pg.Pool({ connectionString: options.databaseUrl, max: 10 }) }),
      ),
    });
  } else {
    engine = "sqlite";
    const path = options.sqlitePath ?? ":memory:";
    if (path !== ":memory:") {
      mkdirSync(dirname(path), { recursive: true });
      sqliteFile = path;
    }
    const sqlite = new SQLite(path);
    // 8 KiB pages (default 4 KiB): fewer page splits when an import fills the statement tree in an order that is
    // not its key order. It takes effect only in a new file, before its first table; an existing file keeps its own.
    sqlite.pragma(`page_size = ${PAGE_SIZE}`);
    sqlite.pragma("journal_mode = WAL");
    // NORMAL is durable across application crashes in WAL mode; only a power loss can lose the last commits.
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    // 64 MiB of page cache (default 2 MiB): a bulk write's dirty pages stay in memory until the commit instead of
    // spilling into the WAL halfway, and the hot pages of a node's tables stay cached.
    sqlite.pragma("cache_size = -65536");
    db = new Kysely<Tables>({
      dialect: transactions.wrap(new SqliteDialect({ database: withStatementCache(sqlite) })),
    });
  }
  await migrateToLatest(db as Kysely<unknown>);
  return { db, engine, transactions, ...(sqliteFile ? { sqliteFile } : {}), close: () => db.destroy() };
}
