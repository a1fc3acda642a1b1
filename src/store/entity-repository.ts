// Entities and their statements in the store. Writes of many entities happen in one transaction: all or nothing.
import type { Kysely, Selectable, Transaction } from "kysely";
import type { Entity, Markings, Statement } from "../model/types.ts";
import type { StatementsTable, Tables } from "./tables.ts";

/** Rows per INSERT: keeps bound parameters (24 per statement) under SQLite's and PostgreSQL's limits. */
const STATEMENT_BATCH = 1000;
const ENTITY_BATCH = 2000;

export class SchemaConflictError extends Error {
  constructor(
    readonly entityId: string,
    readonly existing: string,
    readonly given: string,
  ) {
    super(`entity ${entityId} is a ${existing}, not a ${given}`);
  }
}

const MARKINGS_COLUMNS = [
  "tlp",
  "source_grade",
  "info_grade",
  "handling_code",
  "releasable_countries",
  "releasable_agencies",
  "use_restrictions",
  "legal_basis",
  "criminal_intelligence",
  "reasonable_suspicion",
  "review_by",
  "grading_origin",
] as const;

function markingsRow(m: Markings): Pick<StatementsTable, (typeof MARKINGS_COLUMNS)[number]> {
  return {
    tlp: m.tlp,
    source_grade: m.sourceGrade,
    info_grade: m.infoGrade,
    handling_code: m.handlingCode,
    releasable_countries: JSON.stringify(m.releasableCountries),
    releasable_agencies: JSON.stringify(m.releasableAgencies),
    use_restrictions: JSON.stringify(m.useRestrictions),
    legal_basis: m.legalBasis,
    criminal_intelligence: m.criminalIntelligence ? 1 : 0,
    reasonable_suspicion: m.reasonableSuspicion,
    review_by: m.reviewBy,
    grading_origin: m.gradingOrigin,
  };
}

function statementRow(statement: Statement): StatementsTable {
  const { provenance: p } = statement;
  return {
    id: statement.id,
    entity_id: statement.entityId,
    schema: statement.schema,
    property: statement.property,
    value: statement.value,
    original_value: statement.originalValue,
    origin_node: p.originNode,
    source_record: p.sourceRecord,
    collected_at: p.collectedAt,
    recorded_by: p.recordedBy,
    recorded_at: statement.recordedAt,
    retracted_at: statement.retractedAt,
    ...markingsRow(statement.markings),
  };
}

function statementFromRow(row: Selectable<StatementsTable>): Statement {
  return {
    id: row.id,
    entityId: row.entity_id,
    schema: row.schema,
    property: row.property,
    value: row.value,
    originalValue: row.original_value,
    provenance: {
      originNode: row.origin_node,
      sourceRecord: row.source_record,
      collectedAt: row.collected_at,
      recordedBy: row.recorded_by,
    },
    markings: {
      tlp: row.tlp as Markings["tlp"],
      sourceGrade: row.source_grade as Markings["sourceGrade"],
      infoGrade: row.info_grade as Markings["infoGrade"],
      handlingCode: row.handling_code as Markings["handlingCode"],
      releasableCountries: JSON.parse(row.releasable_countries),
      releasableAgencies: JSON.parse(row.releasable_agencies),
      useRestrictions: JSON.parse(row.use_restrictions),
      legalBasis: row.legal_basis,
      criminalIntelligence: Number(row.criminal_intelligence) === 1,
      reasonableSuspicion: row.reasonable_suspicion,
      reviewBy: row.review_by,
      gradingOrigin: row.grading_origin,
    },
    recordedAt: row.recorded_at,
    retractedAt: row.retracted_at,
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// Statement order is fixed (property, value, id) so both engines return the same entity the same way.
function groupEntities(
  entityRows: Array<{ id: string; schema: string }>,
  rows: Selectable<StatementsTable>[],
): Entity[] {
  const byEntity = new Map<string, Statement[]>();
  for (const row of rows) {
    const list = byEntity.get(row.entity_id) ?? [];
    list.push(statementFromRow(row));
    byEntity.set(row.entity_id, list);
  }
  return entityRows.map((row) => ({ id: row.id, schema: row.schema, statements: byEntity.get(row.id) ?? [] }));
}

export interface ListOptions {
  schema?: string | undefined;
  /** Keyset pagination: only entities whose id sorts after this one. */
  after?: string | undefined;
  limit: number;
}

export class EntityRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  /** Writes entities and their statements in one transaction; a statement already stored is updated in place. */
  async saveEntities(entities: Entity[], now: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.checkSchemata(trx, entities);
      for (const batch of chunks(entities, ENTITY_BATCH)) {
        await trx
          .insertInto("entities")
          .values(batch.map((e) => ({ id: e.id, schema: e.schema, created_at: now, updated_at: now })))
          .onConflict((oc) => oc.column("id").doUpdateSet({ updated_at: now }))
          .execute();
      }
      const rows = entities.flatMap((entity) => entity.statements.map(statementRow));
      for (const batch of chunks(rows, STATEMENT_BATCH)) {
        await trx
          .insertInto("statements")
          .values(batch)
          .onConflict((oc) =>
            oc.column("id").doUpdateSet((eb) => ({
              ...Object.fromEntries(MARKINGS_COLUMNS.map((column) => [column, eb.ref(`excluded.${column}`)])),
              original_value: eb.ref("excluded.original_value"),
              retracted_at: null,
            })),
          )
          .execute();
      }
    });
  }

  private async checkSchemata(trx: Transaction<Tables>, entities: Entity[]): Promise<void> {
    for (const batch of chunks(entities, ENTITY_BATCH)) {
      const given = new Map(batch.map((e) => [e.id, e.schema]));
      const existing = await trx
        .selectFrom("entities")
        .select(["id", "schema"])
        .where("id", "in", [...given.keys()])
        .execute();
      for (const row of existing)
        if (given.get(row.id) !== row.schema)
          throw new SchemaConflictError(row.id, row.schema, given.get(row.id) ?? "");
    }
  }

  async getEntity(id: string): Promise<Entity | undefined> {
    const entity = await this.db
      .selectFrom("entities")
      .select(["id", "schema"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!entity) return undefined;
    const rows = await this.db
      .selectFrom("statements")
      .selectAll()
      .where("entity_id", "=", id)
      .orderBy("property")
      .orderBy("value")
      .orderBy("id")
      .execute();
    return groupEntities([entity], rows)[0];
  }

  async listEntities(options: ListOptions): Promise<Entity[]> {
    let query = this.db.selectFrom("entities").select(["id", "schema"]).orderBy("id").limit(options.limit);
    if (options.schema) query = query.where("schema", "=", options.schema);
    if (options.after) query = query.where("id", ">", options.after);
    const entities = await query.execute();
    if (entities.length === 0) return [];
    const rows = await this.db
      .selectFrom("statements")
      .selectAll()
      .where(
        "entity_id",
        "in",
        entities.map((e) => e.id),
      )
      .orderBy("entity_id")
      .orderBy("property")
      .orderBy("value")
      .orderBy("id")
      .execute();
    return groupEntities(entities, rows);
  }

  async countEntities(schema?: string): Promise<number> {
    let query = this.db.selectFrom("entities").select((eb) => eb.fn.countAll<string | number>().as("n"));
    if (schema) query = query.where("schema", "=", schema);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Removes an entity and every statement of it (a purge, not a retraction). */
  async deleteEntity(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("statements").where("entity_id", "=", id).execute();
      const result = await trx.deleteFrom("entities").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async getStatement(id: string): Promise<Statement | undefined> {
    const row = await this.db.selectFrom("statements").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? statementFromRow(row) : undefined;
  }

  async retractStatement(id: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable("statements")
      .set({ retracted_at: at })
      .where("id", "=", id)
      .where("retracted_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async updateMarkings(id: string, markings: Markings): Promise<boolean> {
    const result = await this.db
      .updateTable("statements")
      .set(markingsRow(markings))
      .where("id", "=", id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
