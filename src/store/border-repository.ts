// Port-of-entry screening on one node: its lookouts (each registration and withdrawal takes the next version, so a
// partner asks for what changed since the version it holds), its cache of partners' lookouts with how far each was
// read, false-match suppressions, and the referral queue with inspection outcomes.
import type { Kysely, Selectable } from "kysely";
import type {
  BorderLookoutsTable,
  BorderPartnerLookoutsTable,
  BorderReferralsTable,
  BorderSuppressionsTable,
  Tables,
} from "./tables.ts";
import { TURNS, takeTurn } from "./turns.ts";

export type LookoutRow = Selectable<BorderLookoutsTable>;
export type PartnerLookoutRow = Selectable<BorderPartnerLookoutsTable>;
export type SuppressionRow = Selectable<BorderSuppressionsTable>;
export type ReferralRow = Selectable<BorderReferralsTable>;

/** Rows per multi-row insert: well inside both engines' limits on bound parameters. */
const INSERT_CHUNK = 500;

export class BorderRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  private async nextVersion(trx: Kysely<Tables>): Promise<number> {
    await takeTurn(trx, TURNS.lookoutVersions);
    const row = await trx
      .selectFrom("border_lookouts")
      .select((eb) => eb.fn.max("version").as("last"))
      .executeTakeFirst();
    return Number(row?.last ?? 0) + 1;
  }

  /**
   * Stores a lookout under the next version and returns it. Callers write lookouts one at a time (the version is
   * unique, so two racing writers would see one of them fail rather than share a version).
   */
  async addLookout(row: Omit<LookoutRow, "version">): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const version = await this.nextVersion(trx);
      await trx
        .insertInto("border_lookouts")
        .values({ ...row, version })
        .execute();
      return version;
    });
  }

  /** Withdraws a live lookout under the next version; undefined when there is none of that id. */
  async withdrawLookout(id: string, by: string, at: string): Promise<number | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const version = await this.nextVersion(trx);
      const result = await trx
        .updateTable("border_lookouts")
        .set({ withdrawn_by: by, withdrawn_at: at, version })
        .where("id", "=", id)
        .where("withdrawn_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0 ? version : undefined;
    });
  }

  async lookout(id: string): Promise<LookoutRow | undefined> {
    const row = await this.db.selectFrom("border_lookouts").selectAll().where("id", "=", id).executeTakeFirst();
    return row && { ...row, version: Number(row.version) };
  }

  /** Lookouts not withdrawn that expire after `now`, newest first (at most `limit`, or all). */
  async liveLookouts(now: string, limit?: number): Promise<LookoutRow[]> {
    let query = this.db
      .selectFrom("border_lookouts")
      .selectAll()
      .where("withdrawn_at", "is", null)
      .where("expires_at", ">", now)
      .orderBy("version", "desc");
    if (limit !== undefined) query = query.limit(limit);
    return (await query.execute()).map((row) => ({ ...row, version: Number(row.version) }));
  }

  /** Lookouts registered or withdrawn after version `since`, in version order. */
  async lookoutsSince(since: number, limit: number): Promise<LookoutRow[]> {
    const rows = await this.db
      .selectFrom("border_lookouts")
      .selectAll()
      .where("version", ">", since)
      .orderBy("version")
      .limit(limit)
      .execute();
    return rows.map((row) => ({ ...row, version: Number(row.version) }));
  }

  // ── partners' lookouts ─────────────────────────────────────────────────────────────────────────────────────

  async partnerCursor(partner: string): Promise<number> {
    const row = await this.db
      .selectFrom("border_partner_cursors")
      .select("version")
      .where("partner", "=", partner)
      .executeTakeFirst();
    return Number(row?.version ?? 0);
  }

  /** One page read from a partner, in one transaction: lookouts kept or replaced, removed ones gone, the cursor moved. */
  async applyPartnerPage(
    partner: string,
    kept: PartnerLookoutRow[],
    removed: string[],
    version: number,
    at: string,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const gone = [...removed, ...kept.map((row) => row.lookout_id)];
      for (let i = 0; i < gone.length; i += INSERT_CHUNK)
        await trx
          .deleteFrom("border_partner_lookouts")
          .where("owner", "=", partner)
          .where("lookout_id", "in", gone.slice(i, i + INSERT_CHUNK))
          .execute();
      for (let i = 0; i < kept.length; i += INSERT_CHUNK)
        await trx
          .insertInto("border_partner_lookouts")
          .values(kept.slice(i, i + INSERT_CHUNK))
          .execute();
      await trx
        .insertInto("border_partner_cursors")
        .values({ partner, version, synced_at: at })
        .onConflict((oc) => oc.column("partner").doUpdateSet({ version, synced_at: at }))
        .execute();
    });
  }

  /** Partners' lookouts that expire after `now`; of one partner, or of all. */
  async partnerLookouts(now: string, owner?: string, limit?: number): Promise<PartnerLookoutRow[]> {
    let query = this.db
      .selectFrom("border_partner_lookouts")
      .selectAll()
      .where("expires_at", ">", now)
      .orderBy("received_at", "desc");
    if (owner !== undefined) query = query.where("owner", "=", owner);
    if (limit !== undefined) query = query.limit(limit);
    return query.execute();
  }

  async partnerLookout(owner: string, id: string): Promise<PartnerLookoutRow | undefined> {
    return this.db
      .selectFrom("border_partner_lookouts")
      .selectAll()
      .where("owner", "=", owner)
      .where("lookout_id", "=", id)
      .executeTakeFirst();
  }

  /** Forgets a partner's lookouts and cursor (it left the federation). */
  async dropPartner(partner: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("border_partner_lookouts").where("owner", "=", partner).execute();
      await trx.deleteFrom("border_partner_cursors").where("partner", "=", partner).execute();
    });
  }

  /** The partners this node holds lookouts or a cursor of. */
  async cachedPartners(): Promise<string[]> {
    const rows = await this.db.selectFrom("border_partner_cursors").select("partner").execute();
    return rows.map((row) => row.partner);
  }

  async deleteExpiredPartnerLookouts(now: string): Promise<void> {
    await this.db.deleteFrom("border_partner_lookouts").where("expires_at", "<=", now).execute();
  }

  // ── suppressions ───────────────────────────────────────────────────────────────────────────────────────────

  async addSuppression(row: SuppressionRow): Promise<void> {
    await this.db.insertInto("border_suppressions").values(row).execute();
  }

  async suppression(id: string): Promise<SuppressionRow | undefined> {
    return this.db.selectFrom("border_suppressions").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** Suppressions, newest first; of one status, or all. */
  async suppressions(status: string | undefined, limit: number): Promise<SuppressionRow[]> {
    let query = this.db.selectFrom("border_suppressions").selectAll().orderBy("proposed_at", "desc").limit(limit);
    if (status !== undefined) query = query.where("status", "=", status);
    return query.execute();
  }

  async activeSuppressions(): Promise<SuppressionRow[]> {
    return this.db.selectFrom("border_suppressions").selectAll().where("status", "=", "active").execute();
  }

  /** Confirms a pending suppression; false when it is not pending. */
  async confirmSuppression(id: string, by: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable("border_suppressions")
      .set({ status: "active", confirmed_by: by, confirmed_at: at })
      .where("id", "=", id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Removes a pending or active suppression; false when it was already removed. */
  async removeSuppression(id: string, by: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable("border_suppressions")
      .set({ status: "removed", removed_by: by, removed_at: at })
      .where("id", "=", id)
      .where("status", "!=", "removed")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  // ── referrals ──────────────────────────────────────────────────────────────────────────────────────────────

  /** Stores referrals in one transaction, a few hundred rows per statement. */
  async addReferrals(rows: ReferralRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK)
        await trx
          .insertInto("border_referrals")
          .values(rows.slice(i, i + INSERT_CHUNK))
          .execute();
    });
  }

  /** Referrals newest first; at one port, or at all. */
  async referrals(port: string | undefined, limit: number): Promise<ReferralRow[]> {
    let query = this.db
      .selectFrom("border_referrals")
      .selectAll()
      .orderBy("screened_at", "desc")
      .orderBy("id", "desc")
      .limit(limit);
    if (port !== undefined) query = query.where("port", "=", port);
    return query.execute();
  }

  async referral(id: string): Promise<ReferralRow | undefined> {
    return this.db.selectFrom("border_referrals").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** Records what inspection found, once; false when an outcome was already recorded. */
  async recordOutcome(id: string, outcome: string, note: string | null, by: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable("border_referrals")
      .set({ outcome, outcome_note: note, outcome_by: by, outcome_at: at })
      .where("id", "=", id)
      .where("outcome", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
