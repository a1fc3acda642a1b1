// Turns for writers that number rows from what they read (the audit log's next position, the next lookout version):
// on PostgreSQL an advisory lock held until the writer's transaction ends, so that two transactions open at once
// (a request's, another's) do not read the same last number. SQLite needs none: it has one writer at a time.
import { type Kysely, PostgresAdapter, sql } from "kysely";

/** Lock keys, one per numbered sequence. */
export const TURNS = { auditLog: 0x7075656e7465, lookoutVersions: 0x7075656e7466 } as const;

/** Waits for the sequence's turn inside `trx`; the turn ends with the transaction. */
export async function takeTurn<DB>(trx: Kysely<DB>, key: number): Promise<void> {
  if (trx.getExecutor().adapter instanceof PostgresAdapter)
    await sql`SELECT pg_advisory_xact_lock(${key})`.execute(trx);
}
