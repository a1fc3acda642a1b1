// What a bulk write exchanges: rows prepared from validated entities, the writer that takes them inside one
// transaction, and the conflict that stops it. Shared by the repository and the SQLite writer thread.

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
 * Entities flattened into the parameters of their rows: plain arrays of strings and numbers, cheap to send
 * between threads, so rows can be prepared on one core and written on another.
 */
export interface PreparedRows {
  /** [id, schema] pairs. */
  entities: string[];
  /** Distinct markings rows, flattened in MARKINGS_ROW_COLUMNS order. */
  markings: unknown[];
  /** Distinct provenance rows, flattened in PROVENANCE_COLUMNS order. */
  provenance: unknown[];
  /** Statement rows, flattened in STATEMENT_COLUMNS order, each (entity, id) once. */
  statements: unknown[];
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
 * other side costs less than half of JSON: a batch is hundreds of thousands of short strings. Values never hold
 * control characters (validation refuses them), so the separators cannot clash; a batch that does hold one
 * travels as JSON instead.
 */
export type PackedRows =
  | { kind: "packed"; entities: string; provenance: string; statements: string; markings: string; count: number }
  | { kind: "json"; rows: string };

const FIELD = "\u0001";
const NULL = "\u0002";

function pack(values: unknown[]): string | undefined {
  // Each value is preceded by a separator, so that no values and one empty string differ. A value holding a
  // separator, or other than a string or null, sends the batch as JSON instead: two short scans of each value cost
  // less than counting the separators in the packed text afterwards.
  // Concatenation, not map and join: join is several times slower on the sliced strings hashes leave.
  let packed = "";
  for (const value of values) {
    if (value === null) packed += FIELD + NULL;
    else if (typeof value !== "string" || value.includes(FIELD) || value.includes(NULL)) return undefined;
    else packed += FIELD + value;
  }
  return packed;
}

function unpack(packed: string): Array<string | null> {
  if (packed === "") return [];
  const values: Array<string | null> = packed.split(FIELD);
  values.shift();
  for (let i = 0; i < values.length; i++) if (values[i] === NULL) values[i] = null;
  return values;
}

export function packRows(rows: PreparedRows): PackedRows {
  const entities = pack(rows.entities);
  const provenance = pack(rows.provenance);
  const statements = pack(rows.statements);
  if (entities === undefined || provenance === undefined || statements === undefined)
    return { kind: "json", rows: JSON.stringify(rows) };
  const markings = JSON.stringify(rows.markings);
  return { kind: "packed", entities, provenance, statements, markings, count: rows.statementCount };
}

export function unpackRows(packed: PackedRows): PreparedRows {
  if (packed.kind === "json") return JSON.parse(packed.rows) as PreparedRows;
  return {
    entities: unpack(packed.entities) as string[],
    provenance: unpack(packed.provenance),
    statements: unpack(packed.statements),
    markings: JSON.parse(packed.markings) as unknown[],
    statementCount: packed.count,
  };
}
