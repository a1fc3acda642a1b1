// What a bulk write exchanges: rows prepared from validated entities, the writer that takes them inside one
// transaction, and the conflict that stops it. Shared by the repository and the SQLite writer thread.

import { PROVENANCE_COLUMNS } from "./provenance-rows.ts";

/** The statements table's columns in the order prepared rows hold them. */
export const STATEMENT_COLUMNS = [
  "entity_id",
  "id",
  "property",
  "value",
  "original_value",
  "provenance_id",
  "markings_id",
  "retracted_at",
] as const;
const STATEMENT_WIDTH = STATEMENT_COLUMNS.length;
const PROVENANCE_WIDTH = PROVENANCE_COLUMNS.length;

export class SchemaConflictError extends Error {
  constructor(
    readonly entityId: string,
    readonly existing: string,
    readonly given: string,
  ) {
    super(`entity ${entityId} is a ${existing}, not a ${given}`);
  }
}

/**
 * Rows per INSERT of a bulk write, and so per chunk of prepared rows: the widest table (markings, 13 columns) binds
 * 6,500 parameters, under SQLite's (32,766) and PostgreSQL's (65,535) limits.
 */
export const ROWS_PER_INSERT = 500;

/**
 * One table's rows flattened into INSERT parameters, in chunks of at most ROWS_PER_INSERT rows: each chunk is
 * the parameters of one INSERT. Chunks also keep every array small. V8 keeps an array over 128 KiB in its
 * large-object space, where growing it and storing new strings in it cost several times more: a batch's
 * statements built as one array took five times as long as in chunks.
 */
export type RowChunks = unknown[][];

/** Builds a table's chunks: push each row's values, all of them, onto the array `forRow` gives. */
export class RowChunkBuilder {
  readonly chunks: RowChunks = [];
  private readonly valuesPerChunk: number;

  constructor(width: number) {
    this.valuesPerChunk = width * ROWS_PER_INSERT;
  }

  forRow(): unknown[] {
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.length < this.valuesPerChunk) return last;
    const fresh: unknown[] = [];
    this.chunks.push(fresh);
    return fresh;
  }
}

/**
 * Entities flattened into the parameters of their rows: plain arrays of strings and numbers, cheap to send
 * between threads, so rows can be prepared on one core and written on another.
 */
export interface PreparedRows {
  /** [id, schema] pairs. */
  entities: RowChunks;
  /** Distinct markings rows, flattened in MARKINGS_ROW_COLUMNS order. */
  markings: RowChunks;
  /** Distinct provenance rows, flattened in PROVENANCE_COLUMNS order. */
  provenance: RowChunks;
  /** Statement rows, flattened in STATEMENT_COLUMNS order, each (entity, id) once. */
  statements: RowChunks;
  statementCount: number;
}

/** Writes batches of prepared rows inside a transaction opened by `EntityRepository.bulkWrite`. */
export interface BulkWriter {
  /** Takes a batch; a writer may return before the batch is stored and report a failure on a later call. */
  write(rows: PreparedRows): Promise<void>;
  /** Resolves when every batch taken so far is stored; throws the first failure. */
  flush(): Promise<void>;
}

/**
 * Rows as they cross to a writer thread. Joining the string columns with a separator and splitting them on the
 * other side costs less than half of JSON: a batch is hundreds of thousands of short strings. A value equal to the
 * one in the same column of the row before (an entity's id, provenance and markings, on each of its statements)
 * travels as one marker, which halves what crosses. Values never hold control characters (validation refuses
 * them), so the markers cannot clash; a batch that does hold one travels as JSON instead.
 */
export type PackedRows =
  | {
      kind: "packed";
      entities: string[];
      provenance: string[];
      statements: string[];
      markings: string;
      count: number;
    }
  | { kind: "json"; rows: string };

const FIELD = "\u0001";
const NULL = "\u0002";
const SAME = "\u0003";
export const ENTITY_WIDTH = 2;

function pack(values: unknown[], width: number): string | undefined {
  // Each value is preceded by a separator, so that no values and one empty string differ. A value holding a
  // marker, or other than a string or null, sends the batch as JSON instead: short scans of each value cost
  // less than counting the markers in the packed text afterwards.
  // Concatenation, not map and join: join is several times slower on the sliced strings hashes leave.
  let packed = "";
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null) packed += FIELD + NULL;
    else if (typeof value !== "string") return undefined;
    else if (i >= width && value === values[i - width]) packed += FIELD + SAME;
    else if (value.includes(FIELD) || value.includes(NULL) || value.includes(SAME)) return undefined;
    else packed += FIELD + value;
  }
  return packed;
}

function unpack(packed: string, width: number): Array<string | null> {
  if (packed === "") return [];
  const values: Array<string | null> = packed.split(FIELD);
  values.shift();
  for (let i = 0; i < values.length; i++) {
    if (values[i] === NULL) values[i] = null;
    else if (values[i] === SAME) values[i] = values[i - width] as string;
  }
  return values;
}

function packChunks(chunks: RowChunks, width: number): string[] | undefined {
  const packed: string[] = [];
  for (const chunk of chunks) {
    const text = pack(chunk, width);
    if (text === undefined) return undefined;
    packed.push(text);
  }
  return packed;
}

export function packRows(rows: PreparedRows): PackedRows {
  const entities = packChunks(rows.entities, ENTITY_WIDTH);
  const provenance = packChunks(rows.provenance, PROVENANCE_WIDTH);
  const statements = packChunks(rows.statements, STATEMENT_WIDTH);
  if (entities === undefined || provenance === undefined || statements === undefined)
    return { kind: "json", rows: JSON.stringify(rows) };
  const markings = JSON.stringify(rows.markings);
  return { kind: "packed", entities, provenance, statements, markings, count: rows.statementCount };
}

export function unpackRows(packed: PackedRows): PreparedRows {
  if (packed.kind === "json") return JSON.parse(packed.rows) as PreparedRows;
  return {
    entities: packed.entities.map((chunk) => unpack(chunk, ENTITY_WIDTH)),
    provenance: packed.provenance.map((chunk) => unpack(chunk, PROVENANCE_WIDTH)),
    statements: packed.statements.map((chunk) => unpack(chunk, STATEMENT_WIDTH)),
    markings: JSON.parse(packed.markings) as RowChunks,
    statementCount: packed.count,
  };
}
