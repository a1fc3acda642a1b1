// Entities, their statements and the markings those carry. Writes of many entities happen in one transaction:
// all or nothing. Bulk writes compile their INSERT once per batch shape and then only bind new values, because
// building and parsing a 1,000-row statement anew for every batch cost more than storing the rows.
import { createHash } from "node:crypto";
import { CompiledQuery, type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { Entity, Markings, Statement } from "../model/types.ts";
import type { MarkingsTable, StatementsTable, Tables } from "./tables.ts";

/** Rows per INSERT: keeps bound parameters under SQLite's (32,766) and PostgreSQL's (65,535) limits. */
const BATCH_ROWS = 500;

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

const STATEMENT_COLUMNS = [
  "id",
  "entity_id",
  "property",
  "value",
  "original_value",
  "origin_node",
  "source_record",
  "collected_at",
  "recorded_by",
  "recorded_at",
  "retracted_at",
  "markings_id",
] as const;

// Markings objects are shared by the statements of one entity, so their id is computed once per object.
const markingsIds = new WeakMap<Markings, string>();

function markingsRow(m: Markings): MarkingsTable {
  const row: Omit<MarkingsTable, "id"> = {
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
  let id = markingsIds.get(m);
  if (!id) {
    id = createHash("sha256")
      .update(JSON.stringify(MARKINGS_COLUMNS.map((column) => row[column])))
      .digest("hex")
      .slice(0, 32);
    markingsIds.set(m, id);
  }
  return { id, ...row };
}

function statementRow(statement: Statement, markingsId: string): StatementsTable {
  const { provenance: p } = statement;
  return {
    id: statement.id,
    entity_id: statement.entityId,
    property: statement.property,
    value: statement.value,
    original_value: statement.originalValue,
    origin_node: p.originNode,
    source_record: p.sourceRecord,
    collected_at: p.collectedAt,
    recorded_by: p.recordedBy,
    recorded_at: statement.recordedAt,
    retracted_at: statement.retractedAt,
    markings_id: markingsId,
  };
}

type StatementWithMarkings = Selectable<StatementsTable> & Omit<Selectable<MarkingsTable>, "id"> & { schema: string };

function statementFromRow(row: StatementWithMarkings): Statement {
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
function groupEntities(entityRows: Array<{ id: string; schema: string }>, rows: StatementWithMarkings[]): Entity[] {
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

type BulkTable = "entities" | "statements" | "markings";

export class EntityRepository {
  /** INSERT text per table and batch size, compiled by Kysely once and then reused with new parameters. */
  private readonly compiledInserts = new Map<string, string>();

  constructor(private readonly db: Kysely<Tables>) {}

  private statementsWithMarkings(db: Kysely<Tables>) {
    return db
      .selectFrom("statements")
      .innerJoin("markings", "markings.id", "statements.markings_id")
      .innerJoin("entities", "entities.id", "statements.entity_id")
      .select(["entities.schema", ...STATEMENT_COLUMNS.map((c) => `statements.${c}` as const), ...MARKINGS_COLUMNS]);
  }

  /**
   * Inserts rows in batches. The first batch of each size is built and compiled by Kysely; its SQL text is then
   * reused, binding the values of later batches in the same column order.
   */
  private async insertRows(trx: Transaction<Tables>, table: BulkTable, columns: readonly string[], rows: object[]) {
    for (const batch of chunks(rows, BATCH_ROWS)) {
      const parameters = batch.flatMap((row) => columns.map((column) => (row as Record<string, unknown>)[column]));
      const key = `${table}:${batch.length}`;
      let text = this.compiledInserts.get(key);
      if (!text) {
        const compiled = this.buildInsert(trx, table, batch).compile();
        if (compiled.parameters.length !== parameters.length || compiled.parameters.some((p, i) => p !== parameters[i]))
          throw new Error(`compiled insert into ${table} binds its parameters in an unexpected order`);
        text = compiled.sql;
        this.compiledInserts.set(key, text);
      }
      await trx.executeQuery(CompiledQuery.raw(text, parameters));
    }
  }

  private buildInsert(trx: Transaction<Tables>, table: BulkTable, batch: object[]) {
    switch (table) {
      case "entities":
        return trx
          .insertInto("entities")
          .values(batch as Array<Tables["entities"]>)
          .onConflict((oc) => oc.column("id").doUpdateSet((eb) => ({ updated_at: eb.ref("excluded.updated_at") })));
      case "markings":
        return trx
          .insertInto("markings")
          .values(batch as MarkingsTable[])
          .onConflict((oc) => oc.column("id").doNothing());
      case "statements":
        return trx
          .insertInto("statements")
          .values(batch as StatementsTable[])
          .onConflict((oc) =>
            oc.columns(["entity_id", "id"]).doUpdateSet((eb) => ({
              markings_id: eb.ref("excluded.markings_id"),
              original_value: eb.ref("excluded.original_value"),
              retracted_at: sql.lit(null),
            })),
          );
    }
  }

  /** Writes entities and their statements in one transaction; a statement already stored is updated in place. */
  async saveEntities(entities: Entity[], now: string): Promise<void> {
    const markings = new Map<string, MarkingsTable>();
    const statements: StatementsTable[] = [];
    for (const entity of entities)
      for (const statement of entity.statements) {
        const row = markingsRow(statement.markings);
        markings.set(row.id, row);
        statements.push(statementRow(statement, row.id));
      }
    await this.db.transaction().execute(async (trx) => {
      await this.checkSchemata(trx, entities);
      const entityRows = entities.map((e) => ({ id: e.id, schema: e.schema, created_at: now, updated_at: now }));
      await this.insertRows(trx, "entities", ["id", "schema", "created_at", "updated_at"], entityRows);
      await this.insertRows(trx, "markings", ["id", ...MARKINGS_COLUMNS], [...markings.values()]);
      await this.insertRows(trx, "statements", STATEMENT_COLUMNS, statements);
    });
  }

  private async checkSchemata(trx: Transaction<Tables>, entities: Entity[]): Promise<void> {
    for (const batch of chunks(entities, BATCH_ROWS)) {
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
    const rows = await this.statementsWithMarkings(this.db)
      .where("statements.entity_id", "=", id)
      .orderBy("statements.property")
      .orderBy("statements.value")
      .orderBy("statements.id")
      .execute();
    return groupEntities([entity], rows)[0];
  }

  async listEntities(options: ListOptions): Promise<Entity[]> {
    let query = this.db.selectFrom("entities").select(["id", "schema"]).orderBy("id").limit(options.limit);
    if (options.schema) query = query.where("schema", "=", options.schema);
    if (options.after) query = query.where("id", ">", options.after);
    const entities = await query.execute();
    if (entities.length === 0) return [];
    const rows = await this.statementsWithMarkings(this.db)
      .where(
        "statements.entity_id",
        "in",
        entities.map((e) => e.id),
      )
      .orderBy("statements.entity_id")
      .orderBy("statements.property")
      .orderBy("statements.value")
      .orderBy("statements.id")
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

  async getStatement(entityId: string, id: string): Promise<Statement | undefined> {
    const row = await this.statementsWithMarkings(this.db)
      .where("statements.entity_id", "=", entityId)
      .where("statements.id", "=", id)
      .executeTakeFirst();
    return row ? statementFromRow(row) : undefined;
  }

  async retractStatement(entityId: string, id: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable("statements")
      .set({ retracted_at: at })
      .where("entity_id", "=", entityId)
      .where("id", "=", id)
      .where("retracted_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async updateMarkings(entityId: string, id: string, markings: Markings): Promise<boolean> {
    const row = markingsRow(markings);
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("markings")
        .values(row)
        .onConflict((oc) => oc.column("id").doNothing())
        .execute();
      const result = await trx
        .updateTable("statements")
        .set({ markings_id: row.id })
        .where("entity_id", "=", entityId)
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    });
  }
}
