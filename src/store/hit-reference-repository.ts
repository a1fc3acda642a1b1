// Opaque references to this node's records, as handed to one partner in a hit: stored so that the partner's
// follow-up request can be resolved, by this node only, to the record it meant.
import type { Kysely } from "kysely";
import type { Tables } from "./tables.ts";

export class HitReferenceRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async remember(references: Array<{ reference: string; entityId: string; requesterNode: string }>, now: string) {
    if (references.length === 0) return;
    await this.db
      .insertInto("hit_references")
      .values(
        references.map((r) => ({
          reference: r.reference,
          entity_id: r.entityId,
          requester_node: r.requesterNode,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.column("reference").doNothing())
      .execute();
  }

  /** The entity a reference stands for, only when it was given to this requester. */
  async resolve(reference: string, requesterNode: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom("hit_references")
      .select("entity_id")
      .where("reference", "=", reference)
      .where("requester_node", "=", requesterNode)
      .executeTakeFirst();
    return row?.entity_id;
  }
}
