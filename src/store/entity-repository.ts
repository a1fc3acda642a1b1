// Entities, their statements and the markings those carry. Writes of many entities happen in one transaction:
// all or nothing. Bulk writes compile their INSERT once per batch shape and then only bind new values, because
// building and parsing a 1,000-row statement anew for every batch cost more than storing the rows.
import { hash, randomUUID } from "node:crypto";
import { CompiledQuery, type Kysely, type Selectable, SqliteAdapter, sql, type Transaction } from "kysely";
import type { Entity, Markings, Provenance, Statement } from "../model/types.ts";
import {
  type BulkWriter,
  ENTITY_WIDTH,
  type PreparedRows,
  RowChunkBuilder,
  type RowChunks,
  SchemaConflictError,
  STATEMENT_COLUMNS,
} from "./bulk-write.ts";
import { PROVENANCE_COLUMNS, provenanceRow } from "./provenance-rows.ts";
import { parallelSqliteWrite } from "./sqlite-parallel-writer.ts";
import type { MarkingsTable, ProvenanceTable, StatementsTable, Tables } from "./tables.ts";

export { type BulkWriter, type PreparedRows, SchemaConflictError } from "./bulk-write.ts";

/** Ids per SELECT … IN (…): keeps bound parameters far under SQLite's (32,766) and PostgreSQL's (65,535) limits. */
const IDS_PER_QUERY = 500;

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

// Markings objects are shared by the statements of one entity, so their row is built once per object.
const markingsRows = new WeakMap<Markings, MarkingsTable>();

function markingsRow(m: Markings): MarkingsTable {
  const cached = markingsRows.get(m);
  if (cached) return cached;
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
  const id = hash("sha256", JSON.stringify(MARKINGS_COLUMNS.map((column) => row[column]))).slice(0, 32);
  const full = { id, ...row };
  markingsRows.set(m, full);
  return full;
}

// Provenance objects are shared by the statements of one record too; the row depends on the recording time as well.
const provenanceRows = new WeakMap<Provenance, ProvenanceTable>();

function provenanceRowOf(statement: Statement): ProvenanceTable {
  const p = statement.provenance;
  const cached = provenanceRows.get(p);
  if (cached?.recorded_at === statement.recordedAt) return cached;
  const row = provenanceRow({
    origin_node: p.originNode,
    source_record: p.sourceRecord,
    collected_at: p.collectedAt,
    recorded_by: p.recordedBy,
    recorded_at: statement.recordedAt,
  });
  provenanceRows.set(p, row);
  return row;
}

type StatementRow = Pick<Selectable<StatementsTable>, (typeof STATEMENT_COLUMNS)[number]>;

/** Stored markings as the model's object, frozen: one object serves every statement that carries them. */
function markingsFromRow(row: Selectable<MarkingsTable>): Markings {
  return Object.freeze({
    tlp: row.tlp as Markings["tlp"],
    sourceGrade: row.source_grade as Markings["sourceGrade"],
    infoGrade: row.info_grade as Markings["infoGrade"],
    handlingCode: row.handling_code as Markings["handlingCode"],
    releasableCountries: Object.freeze(JSON.parse(row.releasable_countries)),
    releasableAgencies: Object.freeze(JSON.parse(row.releasable_agencies)),
    useRestrictions: Object.freeze(JSON.parse(row.use_restrictions)),
    legalBasis: row.legal_basis,
    criminalIntelligence: Number(row.criminal_intelligence) === 1,
    reasonableSuspicion: row.reasonable_suspicion,
    reviewBy: row.review_by,
    gradingOrigin: row.grading_origin,
  });
}

interface Recording {
  provenance: Provenance;
  recordedAt: string;
}

function recordingFromRow(row: Selectable<ProvenanceTable>): Recording {
  return {
    provenance: Object.freeze({
      originNode: row.origin_node,
      sourceRecord: row.source_record,
      collectedAt: row.collected_at,
      recordedBy: row.recorded_by,
    }),
    recordedAt: row.recorded_at,
  };
}

/** The rows `read` gives for these ids, asked IDS_PER_QUERY ids at a time. */
async function readInBatches<R>(ids: string[], read: (batch: string[]) => Promise<R[]>): Promise<R[]> {
  const rows: R[] = [];
  for (let start = 0; start < ids.length; start += IDS_PER_QUERY)
    rows.push(...(await read(ids.slice(start, start + IDS_PER_QUERY))));
  return rows;
}

/**
 * Rows read by a content-hash id, kept once read: such a row never changes (other content has another id), so a
 * kept row cannot go stale. Bounded; past the bound it starts over.
 */
class ContentRows<T> {
  private readonly rows = new Map<string, T>();

  constructor(private readonly bound: number) {}

  get(id: string): T | undefined {
    return this.rows.get(id);
  }

  set(id: string, row: T): void {
    if (this.rows.size >= this.bound) this.rows.clear();
    this.rows.set(id, row);
  }

  /** The ids among these that are not kept, each once. */
  missing(ids: Iterable<string>): string[] {
    const missing = new Set<string>();
    for (const id of ids) if (!this.rows.has(id)) missing.add(id);
    return [...missing];
  }
}

const ENTITY_COLUMNS = ["id", "schema", "created_at", "updated_at"] as const;
const GENERATION_KEY = "entities.bulk-generation";
const MARKINGS_ROW_COLUMNS = ["id", ...MARKINGS_COLUMNS] as const;

export function prepareRows(entities: Entity[]): PreparedRows {
  const entityRows = new RowChunkBuilder(ENTITY_WIDTH);
  const firstSeen = new Map<string, Entity>();
  // One entity's statements are distinct already; only an entity met twice in a batch can repeat one, and
  // PostgreSQL refuses to upsert one row twice in a single INSERT. Statement ids of such entities, built lazily.
  const repeatedIds = new Map<string, Set<string>>();
  const markingsIds = new Set<string>();
  const markings = new RowChunkBuilder(MARKINGS_ROW_COLUMNS.length);
  const provenanceIds = new Set<string>();
  const provenance = new RowChunkBuilder(PROVENANCE_COLUMNS.length);
  const statements = new RowChunkBuilder(STATEMENT_COLUMNS.length);
  let statementCount = 0;
  for (const entity of entities) {
    const first = firstSeen.get(entity.id);
    let known: Set<string> | undefined;
    if (!first) {
      firstSeen.set(entity.id, entity);
      entityRows.forRow().push(entity.id, entity.schema);
    } else {
      known = repeatedIds.get(entity.id) ?? new Set(first.statements.map((statement) => statement.id));
      repeatedIds.set(entity.id, known);
    }
    for (const statement of entity.statements) {
      if (known) {
        if (known.has(statement.id)) continue;
        known.add(statement.id);
      }
      const row = markingsRow(statement.markings);
      if (!markingsIds.has(row.id)) {
        markingsIds.add(row.id);
        const values = markings.forRow();
        for (const column of MARKINGS_ROW_COLUMNS) values.push(row[column]);
      }
      const recording = provenanceRowOf(statement);
      if (!provenanceIds.has(recording.id)) {
        provenanceIds.add(recording.id);
        const values = provenance.forRow();
        for (const column of PROVENANCE_COLUMNS) values.push(recording[column]);
      }
      // In STATEMENT_COLUMNS order (the storage suite's round trip catches any slip).
      statements
        .forRow()
        .push(
          statement.entityId,
          statement.id,
          statement.property,
          statement.value,
          statement.originalValue,
          recording.id,
          row.id,
          statement.retractedAt,
        );
      statementCount += 1;
    }
  }
  return {
    entities: entityRows.chunks,
    markings: markings.chunks,
    provenance: provenance.chunks,
    statements: statements.chunks,
    statementCount,
  };
}

function groupEntities(entityRows: Array<{ id: string; schema: string }>, statements: Statement[]): Entity[] {
  const byEntity = new Map<string, Statement[]>();
  for (const statement of statements) {
    const list = byEntity.get(statement.entityId) ?? [];
    list.push(statement);
    byEntity.set(statement.entityId, list);
  }
  return entityRows.map((row) => ({ id: row.id, schema: row.schema, statements: byEntity.get(row.id) ?? [] }));
}

export interface ListOptions {
  schema?: string | undefined;
  /** Keyset pagination: only entities whose id sorts after this one. */
  after?: string | undefined;
  limit: number;
}

type BulkTable = "entities" | "statements" | "markings" | "provenance" | "pending_provenance";

/**
 * On SQLite a bulk write gathers provenance rows in this temporary table and moves them into `provenance` in key
 * order at the end. Their keys are content hashes, so inserted as they come each lands on a random page of the
 * table; sorted first, the same rows go in twice as fast even counting the detour (an import's provenance went
 * from 1.05–1.11 s to 0.43–0.53 s for 100k source records, bench scratch run on the import file).
 */
const PENDING_PROVENANCE = "pending_provenance";

export class EntityRepository {
  /** INSERT text per table and batch size, compiled by Kysely once and then reused with new parameters. */
  private readonly compiledInserts = new Map<string, string>();

  /**
   * `sqliteFile` is the database file when the engine is SQLite on disk: large bulk writes can then run on a
   * writer thread of their own.
   */
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly sqliteFile?: string,
  ) {}

  /** Markings and provenance as read, by id (see ContentRows). */
  private readonly markingsById = new ContentRows<Markings>(10_000);
  private readonly recordingsById = new ContentRows<Recording>(50_000);

  /**
   * Statements of entities in a fixed order (property, value, id, so both engines return an entity the same way).
   * Reading only the statements, with their markings and provenance from what was read before, costs a third of a
   * join that repeats them on every row.
   */
  private selectStatements() {
    return this.db
      .selectFrom("statements")
      .select(STATEMENT_COLUMNS)
      .orderBy("entity_id")
      .orderBy("property")
      .orderBy("value")
      .orderBy("id");
  }

  /** Statements from their rows, reading the markings and provenance not read before. */
  private async statementsOf(rows: StatementRow[], schemaOf: (entityId: string) => string): Promise<Statement[]> {
    const markingsIds = this.markingsById.missing(rows.map((row) => row.markings_id));
    for (const row of await readInBatches(markingsIds, (ids) =>
      this.db.selectFrom("markings").selectAll().where("id", "in", ids).execute(),
    ))
      this.markingsById.set(row.id, markingsFromRow(row));
    const provenanceIds = this.recordingsById.missing(rows.map((row) => row.provenance_id));
    for (const row of await readInBatches(provenanceIds, (ids) =>
      this.db.selectFrom("provenance").selectAll().where("id", "in", ids).execute(),
    ))
      this.recordingsById.set(row.id, recordingFromRow(row));
    return rows.map((row) => {
      const markings = this.markingsById.get(row.markings_id);
      const recording = this.recordingsById.get(row.provenance_id);
      // The writes store a statement with its markings and provenance in one transaction, and nothing deletes them.
      if (!markings || !recording)
        throw new Error(`statement ${row.entity_id}/${row.id} lost its markings or provenance`);
      return {
        id: row.id,
        entityId: row.entity_id,
        schema: schemaOf(row.entity_id),
        property: row.property,
        value: row.value,
        originalValue: row.original_value,
        provenance: recording.provenance,
        markings,
        recordedAt: recording.recordedAt,
        retractedAt: row.retracted_at,
      };
    });
  }

  /** Statements with their entity's schema, for queries that are not about a known list of entities. */
  private async statementsWithSchemata(rows: StatementRow[]): Promise<Statement[]> {
    const entityIds = [...new Set(rows.map((row) => row.entity_id))];
    const entities = await readInBatches(entityIds, (ids) =>
      this.db.selectFrom("entities").select(["id", "schema"]).where("id", "in", ids).execute(),
    );
    const schemata = new Map(entities.map((row) => [row.id, row.schema]));
    return this.statementsOf(rows, (entityId) => schemata.get(entityId) ?? "");
  }

  /**
   * Inserts rows chunk by chunk, one INSERT per chunk. The first chunk of each size is built and compiled by
   * Kysely; its SQL text is then reused, binding the values of later chunks in the same column order.
   */
  private async insertRows(trx: Transaction<Tables>, table: BulkTable, columns: readonly string[], chunks: RowChunks) {
    const width = columns.length;
    for (const parameters of chunks) {
      const key = `${table}:${parameters.length / width}`;
      let text = this.compiledInserts.get(key);
      if (!text) {
        const rows: Array<Record<string, unknown>> = [];
        for (let i = 0; i < parameters.length; i += width)
          rows.push(Object.fromEntries(columns.map((column, c) => [column, parameters[i + c]])));
        const compiled = this.buildInsert(trx, table, rows).compile();
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
      case "provenance":
        return trx
          .insertInto("provenance")
          .values(batch as ProvenanceTable[])
          .onConflict((oc) => oc.column("id").doNothing());
      case PENDING_PROVENANCE:
        return trx
          .withTables<{ [PENDING_PROVENANCE]: ProvenanceTable }>()
          .insertInto(PENDING_PROVENANCE)
          .values(batch as ProvenanceTable[]);
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
    await this.bulkWrite(now, (writer) => writer.write(prepareRows(entities)));
  }

  /**
   * Runs `work` inside one transaction in which it may write many batches of entities: everything is committed
   * when `work` resolves and nothing is kept if it throws. Large imports stream through this instead of
   * holding the whole file in memory. With `parallel`, an SQLite file is written from a worker thread while
   * `work` goes on preparing the next batch (worth it from thousands of entities: the thread takes a moment to
   * start); other engines ignore it. With `newGeneration`, the write also changes the bulk-write generation, so
   * a node process that did not make the write (an import from the command line) sees its entities changed.
   */
  async bulkWrite<T>(
    now: string,
    work: (writer: BulkWriter) => Promise<T>,
    options: { parallel?: boolean; newGeneration?: boolean } = {},
  ): Promise<T> {
    if (options.parallel && this.sqliteFile)
      return parallelSqliteWrite(this.sqliteFile, now, work, { newGeneration: options.newGeneration === true });
    const sortProvenance = this.db.getExecutor().adapter instanceof SqliteAdapter;
    return this.db.transaction().execute(async (trx) => {
      if (sortProvenance)
        await sql`CREATE TEMP TABLE IF NOT EXISTS ${sql.table(PENDING_PROVENANCE)} AS SELECT * FROM provenance WHERE false`.execute(
          trx,
        );
      const writer: BulkWriter = {
        write: async (rows) => {
          const entities = rows.entities.map((pairs) => {
            const values: unknown[] = [];
            for (let i = 0; i < pairs.length; i += 2) values.push(pairs[i], pairs[i + 1], now, now);
            return values;
          });
          await this.checkSchemata(trx, rows.entities);
          await this.insertRows(trx, "entities", ENTITY_COLUMNS, entities);
          await this.insertRows(trx, "markings", MARKINGS_ROW_COLUMNS, rows.markings);
          const provenanceTable = sortProvenance ? PENDING_PROVENANCE : "provenance";
          await this.insertRows(trx, provenanceTable, PROVENANCE_COLUMNS, rows.provenance);
          await this.insertRows(trx, "statements", STATEMENT_COLUMNS, rows.statements);
        },
        flush: async () => {},
      };
      const result = await work(writer);
      if (sortProvenance) {
        // WHERE true: SQLite's documented way to keep ON CONFLICT from parsing as part of the SELECT.
        const columns = sql.join(PROVENANCE_COLUMNS.map((column) => sql.ref(column)));
        await sql`INSERT INTO provenance (${columns}) SELECT ${columns} FROM ${sql.table(PENDING_PROVENANCE)} WHERE true ORDER BY id ON CONFLICT (id) DO NOTHING`.execute(
          trx,
        );
        await sql`DELETE FROM ${sql.table(PENDING_PROVENANCE)}`.execute(trx);
      }
      if (options.newGeneration)
        await trx
          .insertInto("node_state")
          .values({ key: GENERATION_KEY, value: randomUUID() })
          .onConflict((oc) => oc.column("key").doUpdateSet((eb) => ({ value: eb.ref("excluded.value") })))
          .execute();
      return result;
    });
  }

  /** The current bulk-write generation: it changes with every bulk write made `newGeneration`. */
  async generation(): Promise<string> {
    const row = await this.db
      .selectFrom("node_state")
      .select("value")
      .where("key", "=", GENERATION_KEY)
      .executeTakeFirst();
    return row?.value ?? "";
  }

  private async checkSchemata(trx: Transaction<Tables>, chunks: RowChunks): Promise<void> {
    for (const pairs of chunks) {
      const given = new Map<string, string>();
      for (let i = 0; i < pairs.length; i += 2) given.set(pairs[i] as string, pairs[i + 1] as string);
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
    const rows = await this.selectStatements().where("entity_id", "=", id).execute();
    return { ...entity, statements: await this.statementsOf(rows, () => entity.schema) };
  }

  /** The entities among `ids` that exist (at most a thousand ids per call), in the order of `ids`. */
  async getEntities(ids: string[]): Promise<Entity[]> {
    if (ids.length === 0) return [];
    const entities = await this.db.selectFrom("entities").select(["id", "schema"]).where("id", "in", ids).execute();
    const found = new Map((await this.withStatements(entities)).map((entity) => [entity.id, entity]));
    return ids.map((id) => found.get(id)).filter((entity): entity is Entity => entity !== undefined);
  }

  /**
   * Ids of the entities with a statement whose value is one of `values`, at most `limit` of them, in id order: the
   * entities that may name these ones through an entity-typed property (callers check the property and the
   * statement). Retracted statements count too; callers leave them out.
   */
  async referencingEntityIds(values: string[], limit: number): Promise<string[]> {
    const found = new Set<string>();
    const distinct = [...new Set(values)];
    for (let start = 0; start < distinct.length && found.size < limit; start += IDS_PER_QUERY) {
      const rows = await this.db
        .selectFrom("statements")
        .select("entity_id")
        .distinct()
        .where("value", "in", distinct.slice(start, start + IDS_PER_QUERY))
        .orderBy("entity_id")
        .limit(limit - found.size)
        .execute();
      for (const row of rows) found.add(row.entity_id);
    }
    return [...found].sort();
  }

  async listEntities(options: ListOptions): Promise<Entity[]> {
    let query = this.db.selectFrom("entities").select(["id", "schema"]).orderBy("id").limit(options.limit);
    if (options.schema) query = query.where("schema", "=", options.schema);
    if (options.after) query = query.where("id", ">", options.after);
    return this.withStatements(await query.execute());
  }

  /** These entities with all their statements, in a fixed order (property, value, id). */
  private async withStatements(entities: Array<{ id: string; schema: string }>): Promise<Entity[]> {
    if (entities.length === 0) return [];
    const rows = await this.selectStatements()
      .where(
        "entity_id",
        "in",
        entities.map((e) => e.id),
      )
      .execute();
    const schemata = new Map(entities.map((entity) => [entity.id, entity.schema]));
    return groupEntities(entities, await this.statementsOf(rows, (entityId) => schemata.get(entityId) ?? ""));
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

  /** Live statements whose review-by date is on or before `date`, soonest first (the 28 CFR Part 23 queue). */
  async dueForReview(date: string, limit: number): Promise<Statement[]> {
    const rows = await this.db
      .selectFrom("statements")
      .innerJoin("markings", "markings.id", "statements.markings_id")
      .select(STATEMENT_COLUMNS.map((column) => `statements.${column}` as const))
      .where("markings.review_by", "<=", date)
      .where("statements.retracted_at", "is", null)
      .orderBy("markings.review_by")
      .orderBy("statements.entity_id")
      .orderBy("statements.id")
      .limit(limit)
      .execute();
    return this.statementsWithSchemata(rows);
  }

  async getStatement(entityId: string, id: string): Promise<Statement | undefined> {
    const row = await this.db
      .selectFrom("statements")
      .select(STATEMENT_COLUMNS)
      .where("entity_id", "=", entityId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? (await this.statementsWithSchemata([row]))[0] : undefined;
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
