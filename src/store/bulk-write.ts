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
