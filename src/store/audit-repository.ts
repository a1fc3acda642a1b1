// The audit log's rows: entries in order, and the signed tree heads. Entries are only ever inserted.
import type { Kysely, Selectable } from "kysely";
import type { AuditHeadsTable, AuditLogTable, Tables, WitnessAlarmsTable, WitnessedHeadsTable } from "./tables.ts";

export type AuditEntry = Selectable<AuditLogTable>;
export type AuditHead = Selectable<AuditHeadsTable>;
export type WitnessedHead = Selectable<WitnessedHeadsTable>;
export type WitnessAlarm = Selectable<WitnessAlarmsTable>;

export class AuditRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async size(): Promise<number> {
    const row = await this.db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.max<number | string | null>("seq").as("last"))
      .executeTakeFirst();
    return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
  }

  async append(entry: AuditEntry): Promise<void> {
    await this.db.insertInto("audit_log").values(entry).execute();
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
