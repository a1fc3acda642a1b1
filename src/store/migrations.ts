// Schema migrations, in code so they ship with the package. Kysely's migrator records what ran, so running them
// again at every start changes nothing. Keep SQL to what both SQLite and PostgreSQL 15 accept.
import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";

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
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export class MigrationFailedError extends Error {}

/** Brings the database up to the latest schema; returns the names of the migrations that ran now. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new MigrationFailedError(`database migration failed: ${String(error)}`, { cause: error });
  return (results ?? []).filter((result) => result.status === "Success").map((result) => result.migrationName);
}
