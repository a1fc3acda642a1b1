// Deconfliction on one node: the targets, operations and protected sources it registered, and the notices on its
// desk (or, for a source, on its handler's screen alone). Notices from partners are kept once, however often sent.
import type { Kysely, Selectable } from "kysely";
import type {
  DeconflictionNoticesTable,
  DeconflictionOperationsTable,
  DeconflictionTargetsTable,
  ProtectedSourcesTable,
  Tables,
} from "./tables.ts";

export type TargetRow = Selectable<DeconflictionTargetsTable>;
export type OperationRow = Selectable<DeconflictionOperationsTable>;
export type SourceRow = Selectable<ProtectedSourcesTable>;
export type NoticeRow = Selectable<DeconflictionNoticesTable>;

export class DeconflictionRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async addTarget(row: TargetRow): Promise<void> {
    await this.db.insertInto("deconfliction_targets").values(row).execute();
  }

  async addOperation(row: OperationRow): Promise<void> {
    await this.db.insertInto("deconfliction_operations").values(row).execute();
  }

  async addSource(row: SourceRow): Promise<void> {
    await this.db.insertInto("protected_sources").values(row).execute();
  }

  async activeTargets(): Promise<TargetRow[]> {
    return this.db.selectFrom("deconfliction_targets").selectAll().where("closed_at", "is", null).execute();
  }

  /** Operations not closed that have not ended before `now`. */
  async activeOperations(now: string): Promise<OperationRow[]> {
    return this.db
      .selectFrom("deconfliction_operations")
      .selectAll()
      .where("closed_at", "is", null)
      .where("ends_at", ">=", now)
      .execute();
  }

  async activeSources(): Promise<SourceRow[]> {
    return this.db.selectFrom("protected_sources").selectAll().where("closed_at", "is", null).execute();
  }

  async target(id: string): Promise<TargetRow | undefined> {
    return this.db.selectFrom("deconfliction_targets").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async operation(id: string): Promise<OperationRow | undefined> {
    return this.db.selectFrom("deconfliction_operations").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async targetsBy(userId: string | undefined, limit: number): Promise<TargetRow[]> {
    let query = this.db.selectFrom("deconfliction_targets").selectAll().orderBy("created_at", "desc").limit(limit);
    if (userId !== undefined) query = query.where("registered_by", "=", userId);
    return query.execute();
  }

  async operationsBy(userId: string | undefined, limit: number): Promise<OperationRow[]> {
    let query = this.db.selectFrom("deconfliction_operations").selectAll().orderBy("created_at", "desc").limit(limit);
    if (userId !== undefined) query = query.where("registered_by", "=", userId);
    return query.execute();
  }

  /** Keeps a notice; one from a partner that is already kept (same node and remote id) changes nothing. */
  async addNotice(row: NoticeRow): Promise<boolean> {
    const result = await this.db
      .insertInto("deconfliction_notices")
      .values(row)
      .onConflict((oc) => oc.columns(["counterpart_node", "remote_id"]).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** The desk's notices, or with `handlerUserId` also that handler's own source alerts; newest first. */
  async notices(handlerUserId: string | undefined, limit: number): Promise<NoticeRow[]> {
    return this.db
      .selectFrom("deconfliction_notices")
      .selectAll()
      .where((eb) =>
        handlerUserId === undefined
          ? eb("audience", "=", "desk")
          : eb.or([eb("audience", "=", "desk"), eb("handler_user_id", "=", handlerUserId)]),
      )
      .orderBy("created_at", "desc")
      .orderBy("id")
      .limit(limit)
      .execute();
  }

  async notice(id: string): Promise<NoticeRow | undefined> {
    return this.db.selectFrom("deconfliction_notices").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async acknowledge(id: string, by: string, at: string): Promise<void> {
    await this.db
      .updateTable("deconfliction_notices")
      .set({ acknowledged_by: by, acknowledged_at: at })
      .where("id", "=", id)
      .where("acknowledged_at", "is", null)
      .execute();
  }

  async decide(id: string, outcome: string, note: string, by: string, at: string): Promise<void> {
    await this.db
      .updateTable("deconfliction_notices")
      .set({ outcome, outcome_note: note, decided_by: by, decided_at: at })
      .where("id", "=", id)
      .execute();
  }
}
