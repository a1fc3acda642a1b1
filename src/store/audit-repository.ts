// The audit log's rows: entries in order, and the signed tree heads. Entries are only ever inserted; past the
// node's retention an entry's kind, actor and details are dropped, its position, time and leaf hash kept.
import { type Kysely, type Selectable, sql } from "kysely";
import type { AuditHeadsTable, AuditLogTable, Tables, WitnessAlarmsTable, WitnessedHeadsTable } from "./tables.ts";
import { TURNS, takeTurn } from "./turns.ts";

export type AuditEntry = Selectable<AuditLogTable>;
export type AuditHead = Selectable<AuditHeadsTable>;
export type WitnessedHead = Selectable<WitnessedHeadsTable>;
export type WitnessAlarm = Selectable<WitnessAlarmsTable>;

/** The kind of an entry whose kind, actor and details were dropped at the end of its retention. */
export const PRUNED_KIND = "pruned";

/** Which entries to read, newest first: each filter given narrows the answer. */
export interface AuditQuery {
  /** Exactly this kind. */
  kind?: string | undefined;
  /** Kinds starting with this (e.g. "record."). */
  kindPrefix?: string | undefined;
  /** Exactly this actor ("user:<id>", "node:<id>", "system", …). */
  actor?: string | undefined;
  /** Recorded at or after this time (ISO 8601). */
  from?: string | undefined;
  /** Recorded before this time (ISO 8601). */
  to?: string | undefined;
  /** Only entries before this position: the `next` of the previous page. */
  before?: number | undefined;
  limit: number;
}

/** Rows per INSERT: six parameters each stays far below SQLite's and PostgreSQL's limits on parameters. */
const INSERT_ROWS = 1000;

async function sizeOf(db: Kysely<Tables>): Promise<number> {
  const row = await db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.max<number | string | null>("seq").as("last"))
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

export class AuditRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  size(): Promise<number> {
    return sizeOf(this.db);
  }

  /**
   * Appends entries after the last one in one transaction: `build` numbers them from the size of the log inside
   * it, so another process appending at the same time makes this fail rather than leave a gap.
   */
  appendAtEnd(build: (size: number) => AuditEntry[]): Promise<AuditEntry[]> {
    return this.db.transaction().execute(async (trx) => {
      // The batched entries and a request's entry in the request's own transaction take turns.
      await takeTurn(trx, TURNS.auditLog);
      const entries = build(await sizeOf(trx));
      for (let from = 0; from < entries.length; from += INSERT_ROWS)
        await trx
          .insertInto("audit_log")
          .values(entries.slice(from, from + INSERT_ROWS))
          .execute();
      return entries;
    });
  }

  /** Entries from `from` on, in order, a page at a time. */
  async entries(from: number, limit: number): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom("audit_log")
      .selectAll()
      .where("seq", ">=", from)
      .orderBy("seq")
      .limit(limit)
      .execute();
    return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
  }

  /** Leaf hashes from `from` on, in order, a page at a time. */
  async leafHashes(from: number, limit: number): Promise<Array<Pick<AuditEntry, "seq" | "leaf_hash">>> {
    const rows = await this.db
      .selectFrom("audit_log")
      .select(["seq", "leaf_hash"])
      .where("seq", ">=", from)
      .orderBy("seq")
      .limit(limit)
      .execute();
    return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
  }

  /** The first entry recorded at or after `at`, if any. */
  async firstAtOrAfter(at: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom("audit_log")
      .select("seq")
      .where("at", ">=", at)
      .orderBy("seq")
      .limit(1)
      .executeTakeFirst();
    return row ? Number(row.seq) : undefined;
  }

  /** How many entries up to `through` still have their details. */
  async countWithDetails(through: number): Promise<number> {
    const row = await this.db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll<number | string>().as("count"))
      .where("seq", "<=", through)
      .where("kind", "<>", PRUNED_KIND)
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  /** Drops the kind, actor and details of every entry up to `through`; positions, times and leaf hashes stay. */
  async dropDetails(through: number): Promise<void> {
    await this.db
      .updateTable("audit_log")
      .set({ kind: PRUNED_KIND, actor: "", details: "{}" })
      .where("seq", "<=", through)
      .where("kind", "<>", PRUNED_KIND)
      .execute();
  }

  async addHead(head: AuditHead): Promise<void> {
    await this.db
      .insertInto("audit_heads")
      .values(head)
      .onConflict((oc) => oc.column("size").doNothing())
      .execute();
  }

  async heads(): Promise<AuditHead[]> {
    const rows = await this.db.selectFrom("audit_heads").selectAll().orderBy("size").execute();
    return rows.map((row) => ({ ...row, size: Number(row.size) }));
  }

  async latestHead(): Promise<AuditHead | undefined> {
    const row = await this.db.selectFrom("audit_heads").selectAll().orderBy("size", "desc").limit(1).executeTakeFirst();
    return row ? { ...row, size: Number(row.size) } : undefined;
  }

  /** The largest head of `node` this node witnessed. */
  async latestWitnessed(node: string): Promise<WitnessedHead | undefined> {
    const row = await this.db
      .selectFrom("witnessed_heads")
      .selectAll()
      .where("node", "=", node)
      .orderBy("size", "desc")
      .limit(1)
      .executeTakeFirst();
    return row ? { ...row, size: Number(row.size) } : undefined;
  }

  async addWitnessed(head: WitnessedHead): Promise<void> {
    await this.db
      .insertInto("witnessed_heads")
      .values(head)
      .onConflict((oc) => oc.columns(["node", "size"]).doNothing())
      .execute();
  }

  async addAlarm(alarm: WitnessAlarm): Promise<void> {
    await this.db.insertInto("witness_alarms").values(alarm).execute();
  }

  async alarms(): Promise<WitnessAlarm[]> {
    return this.db.selectFrom("witness_alarms").selectAll().orderBy("raised_at").execute();
  }

  /**
   * Entries of these kinds whose details may mention `text` (a record id, which holds no "%"; a "_" in it matches
   * any character, so callers check the details themselves), oldest first.
   */
  async mentioning(text: string, kinds: string[]): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom("audit_log")
      .selectAll()
      .where("kind", "in", kinds)
      .where("details", "like", `%${JSON.stringify(text)}%`)
      .orderBy("seq")
      .limit(5000)
      .execute();
    return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
  }

  /** Entries that pass the query's filters, newest first, at most `limit` of them. */
  async search(query: AuditQuery): Promise<AuditEntry[]> {
    let select = this.db.selectFrom("audit_log").selectAll().orderBy("seq", "desc").limit(query.limit);
    if (query.before !== undefined) select = select.where("seq", "<", query.before);
    if (query.kind !== undefined) select = select.where("kind", "=", query.kind);
    if (query.kindPrefix !== undefined) {
      const pattern = `${query.kindPrefix.replace(/[\\%_]/gu, (c) => `\\${c}`)}%`;
      select = select.where(sql<boolean>`${sql.ref("kind")} like ${pattern} escape '\\'`);
    }
    if (query.actor !== undefined) select = select.where("actor", "=", query.actor);
    if (query.from !== undefined) select = select.where("at", ">=", query.from);
    if (query.to !== undefined) select = select.where("at", "<", query.to);
    const rows = await select.execute();
    return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
  }

  /** Entries recorded at or after `at`, in order (at most 200,000). */
  async since(at: string): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom("audit_log")
      .selectAll()
      .where("at", ">=", at)
      .orderBy("seq")
      .limit(200_000)
      .execute();
    return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
  }
}
