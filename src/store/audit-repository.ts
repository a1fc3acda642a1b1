// The audit log's rows: entries in order, and the signed tree heads. Entries are only ever inserted.
import type { Kysely, Selectable } from "kysely";
import type { AuditHeadsTable, AuditLogTable, Tables } from "./tables.ts";

export type AuditEntry = Selectable<AuditLogTable>;
export type AuditHead = Selectable<AuditHeadsTable>;

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
}
