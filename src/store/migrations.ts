// Schema migrations, in code so they ship with the package. Kysely's migrator records what ran, so running them
// again at every start changes nothing. Keep SQL to what both SQLite and PostgreSQL 15 accept.
import {
  type CreateTableBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  SqliteAdapter,
  sql,
} from "kysely";
import { provenanceRow } from "./provenance-rows.ts";

/**
 * On SQLite, a table keyed by its primary key alone (WITHOUT ROWID) keeps one B-tree instead of a table and an
 * index, which halves the writing of a bulk import. PostgreSQL has no such option and needs none.
 */
function clusteredOnSqlite<T extends string, C extends string>(db: Kysely<unknown>, table: CreateTableBuilder<T, C>) {
  return db.getExecutor().adapter instanceof SqliteAdapter ? table.modifyEnd(sql`without rowid`) : table;
}

/** Old statement rows carried their provenance inline; these are the columns 0010 moves to their own table. */
interface InlineProvenanceRow {
  id: string;
  entity_id: string;
  property: string;
  value: string;
  original_value: string | null;
  origin_node: string;
  source_record: string;
  collected_at: string;
  recorded_by: string;
  recorded_at: string;
  retracted_at: string | null;
  markings_id: string;
}

const COPY_BATCH = 500;

const migrations: Record<string, Migration> = {
  "0001-entities-and-statements": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("entities")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("schema", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("entities_schema_id").on("entities").columns(["schema", "id"]).execute();
      await db.schema
        .createTable("markings")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("tlp", "text", (c) => c.notNull())
        .addColumn("source_grade", "text", (c) => c.notNull())
        .addColumn("info_grade", "text", (c) => c.notNull())
        .addColumn("handling_code", "text", (c) => c.notNull())
        .addColumn("releasable_countries", "text", (c) => c.notNull())
        .addColumn("releasable_agencies", "text", (c) => c.notNull())
        .addColumn("use_restrictions", "text", (c) => c.notNull())
        .addColumn("legal_basis", "text", (c) => c.notNull())
        .addColumn("criminal_intelligence", "integer", (c) => c.notNull())
        .addColumn("reasonable_suspicion", "text")
        .addColumn("review_by", "text", (c) => c.notNull())
        .addColumn("grading_origin", "text")
        .execute();
      await db.schema.createIndex("markings_review_by").on("markings").column("review_by").execute();
      // No foreign keys on statements: the repository writes them only together with their entity and markings
      // in one transaction, and per-row checks would cost a third of the import time.
      await db.schema
        .createTable("statements")
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("entity_id", "text", (c) => c.notNull())
        .addColumn("property", "text", (c) => c.notNull())
        .addColumn("value", "text", (c) => c.notNull())
        .addColumn("original_value", "text")
        .addColumn("origin_node", "text", (c) => c.notNull())
        .addColumn("source_record", "text", (c) => c.notNull())
        .addColumn("collected_at", "text", (c) => c.notNull())
        .addColumn("recorded_by", "text", (c) => c.notNull())
        .addColumn("recorded_at", "text", (c) => c.notNull())
        .addColumn("retracted_at", "text")
        .addColumn("markings_id", "text", (c) => c.notNull())
        // Keyed by entity first: an entity's statements are read together, and one index instead of two (id,
        // entity) halves the index work of a bulk import. A statement is always addressed through its entity.
        .addPrimaryKeyConstraint("statements_pk", ["entity_id", "id"])
        .execute();
    },
  },
  "0002-users-and-sessions": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("users")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("username", "text", (c) => c.notNull().unique())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("password_hash", "text", (c) => c.notNull())
        .addColumn("roles", "text", (c) => c.notNull())
        .addColumn("cfr28_trained", "integer", (c) => c.notNull())
        .addColumn("clearance", "text", (c) => c.notNull())
        .addColumn("totp_secret", "text")
        .addColumn("totp_last_step", "integer")
        .addColumn("disabled", "integer", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("sign_in_attempts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("username", "text", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("succeeded", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("sign_in_attempts_username_at")
        .on("sign_in_attempts")
        .columns(["username", "at"])
        .execute();
      await db.schema
        .createTable("sessions")
        .addColumn("id_hash", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("last_seen_at", "text", (c) => c.notNull())
        .addColumn("ended_at", "text")
        .execute();
      await db.schema
        .createTable("api_tokens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("last_used_at", "text")
        .addColumn("revoked_at", "text")
        .execute();
    },
  },
  "0003-node-state": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("node_state")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();
    },
  },
  "0004-hit-references": {
    async up(db: Kysely<unknown>) {
      // The opaque references a node gives partners for its hits, so a follow-up request can name the record
      // without the record's id ever leaving the node.
      await db.schema
        .createTable("hit_references")
        .addColumn("reference", "text", (c) => c.primaryKey())
        .addColumn("entity_id", "text", (c) => c.notNull())
        .addColumn("requester_node", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
    },
  },
  "0005-exchange": {
    async up(db: Kysely<unknown>) {
      // Step two of the exchange. On the owner: requests for the details of its hits, and its decisions.
      await db.schema
        .createTable("incoming_requests")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("requester_node", "text", (c) => c.notNull())
        .addColumn("requester_request_id", "text", (c) => c.notNull())
        .addColumn("reference", "text", (c) => c.notNull())
        .addColumn("entity_id", "text", (c) => c.notNull())
        .addColumn("requester_user", "text", (c) => c.notNull())
        .addColumn("justification", "text", (c) => c.notNull())
        .addColumn("purpose", "text", (c) => c.notNull())
        .addColumn("case_reference", "text", (c) => c.notNull())
        .addColumn("urgency", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("due_at", "text", (c) => c.notNull())
        .addColumn("escalated_at", "text")
        .addColumn("decided_by", "text")
        .addColumn("decided_at", "text")
        .addColumn("decision_reason", "text")
        .addColumn("redacted", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addUniqueConstraint("incoming_requests_requester", ["requester_node", "requester_request_id"])
        .execute();
      await db.schema
        .createIndex("incoming_requests_status")
        .on("incoming_requests")
        .columns(["status", "due_at"])
        .execute();
      // On the requester: what it asked for, and the releases it received (signed by their owners).
      await db.schema
        .createTable("outgoing_requests")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("owner_node", "text", (c) => c.notNull())
        .addColumn("reference", "text", (c) => c.notNull())
        .addColumn("requested_by", "text", (c) => c.notNull())
        .addColumn("justification", "text", (c) => c.notNull())
        .addColumn("purpose", "text", (c) => c.notNull())
        .addColumn("case_reference", "text", (c) => c.notNull())
        .addColumn("urgency", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("decision_reason", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("received_releases")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("owner_node", "text", (c) => c.notNull())
        .addColumn("request_id", "text", (c) => c.notNull())
        .addColumn("signed_release", "text", (c) => c.notNull())
        .addColumn("content", "text", (c) => c.notNull())
        .addColumn("received_at", "text", (c) => c.notNull())
        .execute();
      // Messages to partners that must arrive: kept until acknowledged, retried with back-off.
      await db.schema
        .createTable("outbox")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("destination", "text", (c) => c.notNull())
        .addColumn("path", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull())
        .addColumn("next_attempt_at", "text", (c) => c.notNull())
        .addColumn("delivered_at", "text")
        .addColumn("last_error", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("outbox_due").on("outbox").columns(["delivered_at", "next_attempt_at"]).execute();
    },
  },
  "0006-sent-releases": {
    async up(db: Kysely<unknown>) {
      // What each release gave whom, so a retraction or purge reaches every node that holds the data.
      await db.schema
        .createTable("sent_releases")
        .addColumn("release_id", "text", (c) => c.primaryKey())
        .addColumn("recipient", "text", (c) => c.notNull())
        .addColumn("entity_id", "text", (c) => c.notNull())
        .addColumn("statement_ids", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("sent_releases_entity").on("sent_releases").column("entity_id").execute();
      await db.schema.alterTable("received_releases").addColumn("withdrawn", "text").execute();
    },
  },
  "0007-subscriptions": {
    async up(db: Kysely<unknown>) {
      // On the subscriber: its standing watches, and what partners told it about them.
      await db.schema
        .createTable("subscriptions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("query", "text", (c) => c.notNull())
        .addColumn("legal_basis", "text", (c) => c.notNull())
        .addColumn("purpose", "text", (c) => c.notNull())
        .addColumn("case_reference", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("subscription_notices")
        .addColumn("subscription_id", "text", (c) => c.notNull())
        .addColumn("owner_node", "text", (c) => c.notNull())
        .addColumn("reference", "text", (c) => c.notNull())
        .addColumn("band", "text", (c) => c.notNull())
        .addColumn("point_of_contact", "text", (c) => c.notNull())
        .addColumn("received_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("subscription_notices_pk", ["subscription_id", "owner_node", "reference"])
        .execute();
      // On the owner: partners' watches over its records, and which records it already told them of.
      await db.schema
        .createTable("watches")
        .addColumn("subscriber_node", "text", (c) => c.notNull())
        .addColumn("subscription_id", "text", (c) => c.notNull())
        .addColumn("query", "text", (c) => c.notNull())
        .addColumn("requester_user", "text", (c) => c.notNull())
        .addColumn("legal_basis", "text", (c) => c.notNull())
        .addColumn("purpose", "text", (c) => c.notNull())
        .addColumn("case_reference", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("watches_pk", ["subscriber_node", "subscription_id"])
        .execute();
      await db.schema
        .createTable("watch_notices")
        .addColumn("subscriber_node", "text", (c) => c.notNull())
        .addColumn("subscription_id", "text", (c) => c.notNull())
        .addColumn("entity_id", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("watch_notices_pk", ["subscriber_node", "subscription_id", "entity_id"])
        .execute();
    },
  },
  "0008-audit-log": {
    async up(db: Kysely<unknown>) {
      // The append-only audit log, a Merkle tree (RFC 9162) over its entries, and the tree heads the node signed.
      await db.schema
        .createTable("audit_log")
        .addColumn("seq", "integer", (c) => c.primaryKey())
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("details", "text", (c) => c.notNull())
        .addColumn("leaf_hash", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("audit_heads")
        .addColumn("size", "integer", (c) => c.primaryKey())
        .addColumn("root_hash", "text", (c) => c.notNull())
        .addColumn("signed_head", "text", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .execute();
    },
  },
  "0009-witnessed-heads": {
    async up(db: Kysely<unknown>) {
      // Partners' signed audit heads this node keeps as their witness, and the inconsistencies it caught.
      await db.schema
        .createTable("witnessed_heads")
        .addColumn("node", "text", (c) => c.notNull())
        .addColumn("size", "integer", (c) => c.notNull())
        .addColumn("root_hash", "text", (c) => c.notNull())
        .addColumn("signed_head", "text", (c) => c.notNull())
        .addColumn("received_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("witnessed_heads_pk", ["node", "size"])
        .execute();
      await db.schema
        .createTable("witness_alarms")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("node", "text", (c) => c.notNull())
        .addColumn("problem", "text", (c) => c.notNull())
        .addColumn("evidence", "text", (c) => c.notNull())
        .addColumn("raised_at", "text", (c) => c.notNull())
        .execute();
    },
  },
  "0010-narrow-statements": {
    async up(db: Kysely<unknown>) {
      // Provenance moves from every statement row to a table of its own (one row per source record), and
      // statements are keyed by (entity, id) alone: an import writes half as many bytes into one B-tree.
      await clusteredOnSqlite(
        db,
        db.schema
          .createTable("provenance")
          .addColumn("id", "text", (c) => c.notNull())
          .addColumn("origin_node", "text", (c) => c.notNull())
          .addColumn("source_record", "text", (c) => c.notNull())
          .addColumn("collected_at", "text", (c) => c.notNull())
          .addColumn("recorded_by", "text", (c) => c.notNull())
          .addColumn("recorded_at", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("provenance_pk", ["id"]),
      ).execute();
      await db.schema.alterTable("statements").renameTo("statements_0001").execute();
      await clusteredOnSqlite(
        db,
        db.schema
          .createTable("statements")
          .addColumn("entity_id", "text", (c) => c.notNull())
          .addColumn("id", "text", (c) => c.notNull())
          .addColumn("property", "text", (c) => c.notNull())
          .addColumn("value", "text", (c) => c.notNull())
          .addColumn("original_value", "text")
          .addColumn("provenance_id", "text", (c) => c.notNull())
          .addColumn("markings_id", "text", (c) => c.notNull())
          .addColumn("retracted_at", "text")
          .addPrimaryKeyConstraint("statements_by_entity_pk", ["entity_id", "id"]),
      ).execute();
      const old = db as unknown as Kysely<{ statements_0001: InlineProvenanceRow }>;
      const target = db as unknown as Kysely<{
        statements: Record<string, string | null>;
        provenance: Record<string, string>;
      }>;
      let after: { entity_id: string; id: string } | undefined;
      for (;;) {
        let query = old.selectFrom("statements_0001").selectAll().orderBy("entity_id").orderBy("id").limit(COPY_BATCH);
        if (after) {
          const { entity_id, id } = after;
          query = query.where((eb) =>
            eb.or([eb("entity_id", ">", entity_id), eb.and([eb("entity_id", "=", entity_id), eb("id", ">", id)])]),
          );
        }
        const rows = await query.execute();
        if (rows.length === 0) break;
        const provenance = new Map<string, Record<string, string>>();
        const statements = rows.map((row) => {
          const { origin_node, source_record, collected_at, recorded_by, recorded_at } = row;
          const recording = provenanceRow({ origin_node, source_record, collected_at, recorded_by, recorded_at });
          provenance.set(recording.id, { ...recording });
          const { entity_id, id, property, value, original_value, markings_id, retracted_at } = row;
          return {
            entity_id,
            id,
            property,
            value,
            original_value,
            provenance_id: recording.id,
            markings_id,
            retracted_at,
          };
        });
        await target
          .insertInto("provenance")
          .values([...provenance.values()])
          .onConflict((oc) => oc.column("id").doNothing())
          .execute();
        await target.insertInto("statements").values(statements).execute();
        after = rows[rows.length - 1];
      }
      await db.schema.dropTable("statements_0001").execute();
    },
  },
  "0011-deconfliction": {
    async up(db: Kysely<unknown>) {
      // Targets, operations and protected sources an agency registers, and the notices on its deconfliction desk.
      const registered = (table: string) =>
        db.schema
          .createTable(table)
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("registered_by", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("closed_at", "text");
      await registered("deconfliction_targets")
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("case_reference", "text", (c) => c.notNull())
        .addColumn("contact", "text", (c) => c.notNull())
        .execute();
      await registered("deconfliction_operations")
        .addColumn("operation_type", "text", (c) => c.notNull())
        .addColumn("area", "text", (c) => c.notNull())
        .addColumn("starts_at", "text", (c) => c.notNull())
        .addColumn("ends_at", "text", (c) => c.notNull())
        .addColumn("risk", "text", (c) => c.notNull())
        .addColumn("case_reference", "text", (c) => c.notNull())
        .addColumn("contact", "text", (c) => c.notNull())
        .execute();
      await registered("protected_sources")
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("area", "text")
        .addColumn("handler_user_id", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("deconfliction_notices")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("audience", "text", (c) => c.notNull())
        .addColumn("handler_user_id", "text")
        .addColumn("item_kind", "text", (c) => c.notNull())
        .addColumn("item_id", "text")
        .addColumn("counterpart_node", "text", (c) => c.notNull())
        .addColumn("counterpart_contact", "text", (c) => c.notNull())
        .addColumn("remote_id", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("acknowledged_by", "text")
        .addColumn("acknowledged_at", "text")
        .addColumn("outcome", "text")
        .addColumn("outcome_note", "text")
        .addColumn("decided_by", "text")
        .addColumn("decided_at", "text")
        .addUniqueConstraint("deconfliction_notices_remote", ["counterpart_node", "remote_id"])
        .execute();
    },
  },
  "0012_border_screening": {
    async up(db: Kysely<unknown>) {
      // Port-of-entry screening: this node's lookouts (versioned, so partners read what changed), the cache of
      // partners' lookouts with how far each was read, false-match suppressions, and referrals to secondary.
      await db.schema
        .createTable("border_lookouts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("version", "integer", (c) => c.notNull().unique())
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("severity", "text", (c) => c.notNull())
        .addColumn("case_reference", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("markings", "text", (c) => c.notNull())
        .addColumn("contact", "text", (c) => c.notNull())
        .addColumn("registered_by", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("withdrawn_by", "text")
        .addColumn("withdrawn_at", "text")
        .execute();
      await db.schema
        .createTable("border_partner_lookouts")
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("lookout_id", "text", (c) => c.notNull())
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("severity", "text", (c) => c.notNull())
        .addColumn("tlp", "text", (c) => c.notNull())
        .addColumn("contact", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("received_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("border_partner_lookouts_pk", ["owner", "lookout_id"])
        .execute();
      await db.schema
        .createTable("border_partner_cursors")
        .addColumn("partner", "text", (c) => c.primaryKey())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("synced_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("border_suppressions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("lookout_id", "text", (c) => c.notNull())
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("identity_key", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("referral_id", "text")
        .addColumn("proposed_by", "text", (c) => c.notNull())
        .addColumn("proposed_at", "text", (c) => c.notNull())
        .addColumn("confirmed_by", "text")
        .addColumn("confirmed_at", "text")
        .addColumn("removed_by", "text")
        .addColumn("removed_at", "text")
        .execute();
      await db.schema.createIndex("border_suppressions_status").on("border_suppressions").column("status").execute();
      await db.schema
        .createTable("border_referrals")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("crossing_id", "text", (c) => c.notNull())
        .addColumn("port", "text", (c) => c.notNull())
        .addColumn("screened_at", "text", (c) => c.notNull())
        .addColumn("screened_by", "text", (c) => c.notNull())
        .addColumn("crossing", "text", (c) => c.notNull())
        .addColumn("decision", "text", (c) => c.notNull())
        .addColumn("outcome", "text")
        .addColumn("outcome_note", "text")
        .addColumn("outcome_by", "text")
        .addColumn("outcome_at", "text")
        .execute();
      await db.schema
        .createIndex("border_referrals_port")
        .on("border_referrals")
        .columns(["port", "screened_at"])
        .execute();
      await db.schema.createIndex("border_referrals_screened").on("border_referrals").column("screened_at").execute();
    },
  },
  "0013_border_seals": {
    async up(db: Kysely<unknown>) {
      // Seal monitoring: shipments' plans, their GPS fixes and seal reads (each kept once however often sent), and
      // the alerts raised. Fixes and reads are keyed by shipment and time, so a shipment's track is one range.
      await db.schema
        .createTable("seal_shipments")
        .addColumn("shipment_id", "text", (c) => c.primaryKey())
        .addColumn("plan", "text", (c) => c.notNull())
        .addColumn("registered_by", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("seal_shipments_created").on("seal_shipments").column("created_at").execute();
      await clusteredOnSqlite(
        db,
        db.schema
          .createTable("gps_fixes")
          .addColumn("shipment_id", "text", (c) => c.notNull())
          .addColumn("time", "text", (c) => c.notNull())
          .addColumn("lat", "double precision", (c) => c.notNull())
          .addColumn("lon", "double precision", (c) => c.notNull())
          .addColumn("speed", "double precision")
          .addColumn("received_at", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("gps_fixes_pk", ["shipment_id", "time"]),
      ).execute();
      await clusteredOnSqlite(
        db,
        db.schema
          .createTable("seal_events")
          .addColumn("shipment_id", "text", (c) => c.notNull())
          .addColumn("time", "text", (c) => c.notNull())
          .addColumn("manufacturer", "text", (c) => c.notNull())
          .addColumn("serial", "text", (c) => c.notNull())
          .addColumn("state", "text", (c) => c.notNull())
          .addColumn("battery", "double precision")
          .addColumn("lat", "double precision")
          .addColumn("lon", "double precision")
          .addColumn("received_at", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("seal_events_pk", ["shipment_id", "time", "manufacturer", "serial", "state"]),
      ).execute();
      await db.schema
        .createTable("seal_alerts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("shipment_id", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("time", "text", (c) => c.notNull())
        .addColumn("detail", "text", (c) => c.notNull())
        .addColumn("lat", "double precision")
        .addColumn("lon", "double precision")
        .addColumn("raised_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("seal_alerts_raised").on("seal_alerts").columns(["raised_at", "id"]).execute();
      await db.schema.createIndex("seal_alerts_shipment").on("seal_alerts").column("shipment_id").execute();
    },
  },
  "0014_border_alerts": {
    async up(db: Kysely<unknown>) {
      // Burst alerts of the coordinated-arrival detector, for the port supervisor; listed by port, newest first.
      await db.schema
        .createTable("border_alerts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("port", "text", (c) => c.notNull())
        .addColumn("first_seen", "text", (c) => c.notNull())
        .addColumn("last_seen", "text", (c) => c.notNull())
        .addColumn("size", "integer", (c) => c.notNull())
        .addColumn("crossing_ids", "text", (c) => c.notNull())
        .addColumn("referred", "text", (c) => c.notNull())
        .addColumn("links", "text", (c) => c.notNull())
        .addColumn("raised_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("border_alerts_last_seen").on("border_alerts").columns(["last_seen", "id"]).execute();
      await db.schema
        .createIndex("border_alerts_port")
        .on("border_alerts")
        .columns(["port", "last_seen", "id"])
        .execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export class MigrationFailedError extends Error {}

/** Brings the database up to the latest schema; returns the names of the migrations that ran now. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  return migrateUpTo(db);
}

/** Runs the migrations up to and including `name` (all of them without one); tests use it to build old schemas. */
export async function migrateUpTo(db: Kysely<unknown>, name?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await (name === undefined ? migrator.migrateToLatest() : migrator.migrateTo(name));
  if (error) throw new MigrationFailedError(`database migration failed: ${String(error)}`, { cause: error });
  return (results ?? []).filter((result) => result.status === "Success").map((result) => result.migrationName);
}
