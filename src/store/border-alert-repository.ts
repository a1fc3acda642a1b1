// Burst alerts of the coordinated-arrival detector: one row per burst, rewritten as the burst grows; a burst that
// turns out to be part of another is removed in the same transaction that writes the other.
import type { Kysely, Selectable } from "kysely";
import type { BorderAlertsTable, Tables } from "./tables.ts";

export type BorderAlertRow = Selectable<BorderAlertsTable>;

export interface BorderAlertFilter {
  port?: string | undefined;
  /** Bursts whose last crossing is at or after this time. */
  since?: string | undefined;
  limit: number;
}

export class BorderAlertRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  /** Writes the burst (keeping when it was first raised) and drops the bursts it absorbed. */
  async save(row: BorderAlertRow, absorbed: readonly string[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("border_alerts")
        .values(row)
        .onConflict((oc) =>
          oc.column("id").doUpdateSet({
            first_seen: row.first_seen,
            last_seen: row.last_seen,
            size: row.size,
            crossing_ids: row.crossing_ids,
            referred: row.referred,
            links: row.links,
            updated_at: row.updated_at,
          }),
        )
        .execute();
      if (absorbed.length > 0) await trx.deleteFrom("border_alerts").where("id", "in", absorbed).execute();
    });
  }

  /** Bursts by their last crossing, newest first. */
  async list(filter: BorderAlertFilter): Promise<BorderAlertRow[]> {
    let query = this.db
      .selectFrom("border_alerts")
      .selectAll()
      .orderBy("last_seen", "desc")
      .orderBy("id", "desc")
      .limit(filter.limit);
    if (filter.port !== undefined) query = query.where("port", "=", filter.port);
    if (filter.since !== undefined) query = query.where("last_seen", ">=", filter.since);
    return query.execute();
  }
}
