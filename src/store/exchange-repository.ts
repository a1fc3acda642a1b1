// Step two's rows: requests a node received for its records and its decisions on them, the requests it sent,
// and the releases it received from their owners.
import type { Kysely, Selectable } from "kysely";
import type {
  IncomingRequestsTable,
  OutgoingRequestsTable,
  ReceivedReleasesTable,
  SentReleasesTable,
  Tables,
} from "./tables.ts";

export type IncomingRequest = Selectable<IncomingRequestsTable>;
export type OutgoingRequest = Selectable<OutgoingRequestsTable>;
export type ReceivedRelease = Selectable<ReceivedReleasesTable>;
export type SentRelease = Selectable<SentReleasesTable>;

export class ExchangeRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  /** Records a request unless the requester already sent this one; returns the stored request either way. */
  async addIncoming(request: IncomingRequest): Promise<IncomingRequest> {
    await this.db
      .insertInto("incoming_requests")
      .values(request)
      .onConflict((oc) => oc.columns(["requester_node", "requester_request_id"]).doNothing())
      .execute();
    return this.db
      .selectFrom("incoming_requests")
      .selectAll()
      .where("requester_node", "=", request.requester_node)
      .where("requester_request_id", "=", request.requester_request_id)
      .executeTakeFirstOrThrow();
  }

  async incoming(id: string): Promise<IncomingRequest | undefined> {
    return this.db.selectFrom("incoming_requests").selectAll().where("id", "=", id).executeTakeFirst();
  }

  /** The queue: undecided requests, escalated ones first, then by how soon they are due. */
  async pendingIncoming(): Promise<IncomingRequest[]> {
    return this.db
      .selectFrom("incoming_requests")
      .selectAll()
      .where("status", "=", "pending")
      .orderBy("escalated_at", "desc")
      .orderBy("due_at")
      .execute();
  }

  async decide(
    id: string,
    decision: {
      status: "approved" | "denied";
      decidedBy: string;
      at: string;
      reason: string | null;
      redacted: string[];
    },
  ): Promise<boolean> {
    const result = await this.db
      .updateTable("incoming_requests")
      .set({
        status: decision.status,
        decided_by: decision.decidedBy,
        decided_at: decision.at,
        decision_reason: decision.reason,
        redacted: JSON.stringify(decision.redacted),
      })
      .where("id", "=", id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Flags undecided requests whose response clock ran out; returns how many were flagged now. */
  async escalateOverdue(now: string): Promise<number> {
    const result = await this.db
      .updateTable("incoming_requests")
      .set({ escalated_at: now })
      .where("status", "=", "pending")
      .where("due_at", "<", now)
      .where("escalated_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async addOutgoing(request: OutgoingRequest): Promise<void> {
    await this.db.insertInto("outgoing_requests").values(request).execute();
  }

  async outgoing(id: string): Promise<OutgoingRequest | undefined> {
    return this.db.selectFrom("outgoing_requests").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async updateOutgoing(id: string, ownerNode: string, status: string, reason: string | null, at: string) {
    await this.db
      .updateTable("outgoing_requests")
      .set({ status, decision_reason: reason, updated_at: at })
      .where("id", "=", id)
      .where("owner_node", "=", ownerNode)
      .execute();
  }

  /** Keeps a release once; a second delivery of the same release changes nothing. */
  async addRelease(release: ReceivedRelease): Promise<void> {
    await this.db
      .insertInto("received_releases")
      .values(release)
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
  }

  async releasesFor(requestIds: string[]): Promise<ReceivedRelease[]> {
    if (requestIds.length === 0) return [];
    return this.db.selectFrom("received_releases").selectAll().where("request_id", "in", requestIds).execute();
  }

  async outgoingBy(userId: string | undefined): Promise<OutgoingRequest[]> {
    let query = this.db.selectFrom("outgoing_requests").selectAll().orderBy("created_at", "desc").limit(500);
    if (userId !== undefined) query = query.where("requested_by", "=", userId);
    return query.execute();
  }

  async addSentRelease(release: SentRelease): Promise<void> {
    await this.db.insertInto("sent_releases").values(release).execute();
  }

  /** Releases of this entity given to partners (all, or those that carried the statement). */
  async sentReleasesOf(entityId: string, statementId?: string): Promise<SentRelease[]> {
    const rows = await this.db.selectFrom("sent_releases").selectAll().where("entity_id", "=", entityId).execute();
    if (statementId === undefined) return rows;
    return rows.filter((row) => (JSON.parse(row.statement_ids) as string[]).includes(statementId));
  }

  async receivedRelease(id: string, ownerNode: string): Promise<ReceivedRelease | undefined> {
    return this.db
      .selectFrom("received_releases")
      .selectAll()
      .where("id", "=", id)
      .where("owner_node", "=", ownerNode)
      .executeTakeFirst();
  }

  /** Replaces a received release's content after statements were withdrawn; the owner's signed copy goes too. */
  async withdrawFromRelease(id: string, content: string, withdrawn: string[]): Promise<void> {
    await this.db
      .updateTable("received_releases")
      .set({ content, withdrawn: JSON.stringify(withdrawn), signed_release: "" })
      .where("id", "=", id)
      .execute();
  }

  async deleteRelease(id: string, ownerNode: string): Promise<void> {
    await this.db.deleteFrom("received_releases").where("id", "=", id).where("owner_node", "=", ownerNode).execute();
  }

  async sentReleases(): Promise<SentRelease[]> {
    return this.db.selectFrom("sent_releases").selectAll().orderBy("created_at").execute();
  }
}
