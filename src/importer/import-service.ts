// `puente import` as a service: reads a CSV or FollowTheMoney JSON-lines file as a stream, validates every record,
// and writes all of it in one transaction or nothing at all. Issues name the file, the line and the column or
// property the user wrote, so a clerk can fix the source file without reading Puente's internals.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import type { MarkingsInput } from "../model/types.ts";
import type { RecordContext } from "../model/validate.ts";
import { type BulkWriter, type EntityRepository, SchemaConflictError } from "../store/entity-repository.ts";
import { CsvParser, type CsvRecord, CsvSyntaxError, decodeUtf8, InvalidUtf8Error, type TextSource } from "./csv.ts";
import { markingsLayer, parseMapSpecs, RowMapper } from "./mapping.ts";
import { validateRecords } from "./record-batches.ts";
import type { RawRecord, RecordSpec, ValidatedBatch } from "./records.ts";

export type ImportFormat = "ftm" | "csv";

export interface ImportOptions {
  path: string;
  /** Default from the extension: .csv → csv; .json, .jsonl, .ndjson, .ftm → ftm. */
  format?: ImportFormat;
  /** CSV only; the schema is required for CSV. */
  schema?: string;
  map?: string[];
  idColumn?: string;
  /** Markings from command-line flags: above the node defaults, below markings given in the file. */
  markings?: MarkingsInput;
  dryRun?: boolean;
  context: Omit<RecordContext, "sourceRecord" | "formats">;
  repository: EntityRepository;
  /** Called about every 1000 records with the records read and an estimate of the total (from counting lines). */
  onProgress?: (done: number, total: number | undefined) => void;
  /** Stop reading after this many issues (default 100): nothing will be written anyway. */
  maxErrors?: number;
  /**
   * Files from this size (default 1 MiB) are written from a writer thread while the next lines are validated,
   * when the store is an SQLite file; below it, starting the thread costs more than it saves.
   */
  parallelFromBytes?: number;
}

export interface ImportIssue {
  file: string;
  /** 1-based line in the file; 0 when the issue is not about one line. */
  line: number;
  /** The CSV column or FtM property (or "(line)", "(row)", "id", "schema") the issue is about. */
  field: string;
  code: string;
  message: string;
}

export interface ImportSummary {
  file: string;
  records: number;
  entities: number;
  statements: number;
  written: boolean;
  issues: ImportIssue[];
}

/** The file cannot be opened or read (missing, a directory, no permission, an I/O error). */
export class ImportFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The options cannot work for this file (unknown format, CSV options for a JSON file). */
export class ImportOptionsError extends Error {}

const PROGRESS_EVERY = 1000;
const DEFAULT_MAX_ERRORS = 100;
const CHUNK_SIZE = 256 * 1024;
const PARALLEL_FROM_BYTES = 1024 * 1024;

export function formatImportIssue(issue: ImportIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}` : issue.file;
  return `${where}: ${issue.field}: ${issue.message}`;
}

export function detectFormat(path: string): ImportFormat | undefined {
  switch (extname(path).toLowerCase()) {
    case ".csv":
      return "csv";
    case ".json":
    case ".jsonl":
    case ".ndjson":
    case ".ftm":
      return "ftm";
    default:
      return undefined;
  }
}

/**
 * Collects the outcomes of validated batches: counts, issues, and one schema per entity id across the whole file.
 * It writes each batch's rows while the file is clean; once any issue is found nothing more is written, and the
 * caller rolls the transaction back.
 */
class Collector {
  readonly issues: ImportIssue[] = [];
  records = 0;
  statements = 0;
  /** Every entity seen, with its schema and first line: for counts, and to catch one id with two schemata. */
  readonly seen = new Map<string, { schema: string; line: number }>();
  private readonly reported = new Set<string>();

  constructor(
    readonly file: string,
    private readonly maxErrors: number,
    private readonly writer: BulkWriter | undefined,
  ) {}

  get full(): boolean {
    return this.issues.length >= this.maxErrors;
  }

  issue(line: number, field: string, code: string, message: string): void {
    if (this.full) return;
    const key = `${line}\u0000${field}\u0000${code}\u0000${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.issues.push({ file: this.file, line, field, code, message });
  }

  async take(batch: ValidatedBatch, progress: () => void): Promise<void> {
    for (const { line, entity, issues } of batch.outcomes) {
      this.records++;
      progress();
      for (const issue of issues) this.issue(line, issue.field, issue.code, issue.message);
      if (!entity) continue;
      const first = this.seen.get(entity.id);
      if (!first) this.seen.set(entity.id, { schema: entity.schema, line });
      else if (first.schema !== entity.schema)
        this.issue(
          line,
          "schema",
          "schema_mismatch",
          `entity ${entity.id} is a ${entity.schema} here but a ${first.schema} on line ${first.line}`,
        );
    }
    this.statements += batch.rows.statementCount;
    if (this.writer && this.issues.length === 0) await this.writer.write(batch.rows);
  }
}

/** Thrown inside the write transaction to roll it back when the file had issues; carries them out. */
class RollbackImport extends Error {
  constructor(readonly collector: Collector) {
    super("the import had issues; rolled back");
  }
}

/** Reads the file as a stream of chunks; read failures become ImportFileError. */
async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const stream = createReadStream(path, { highWaterMark: CHUNK_SIZE });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    throw new ImportFileError(path, `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  } finally {
    stream.destroy();
  }
}

/** Counts line breaks for the progress total, without holding the file. */
async function countLines(path: string): Promise<number> {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of fileChunks(path)) {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines++;
    if (chunk.length > 0) last = chunk[chunk.length - 1] ?? last;
  }
  return last === 0x0a ? lines : lines + 1;
}

/** Splits a text stream into lines (LF or CRLF), numbered from 1. */
async function* readLines(source: TextSource): AsyncGenerator<{ line: number; text: string }> {
  let rest = "";
  let line = 1;
  for await (const text of decodeUtf8(source)) {
    const buffer = rest + text;
    let start = 0;
    for (let end = buffer.indexOf("\n"); end !== -1; end = buffer.indexOf("\n", start)) {
      yield { line: line++, text: buffer.slice(start, end) };
      start = end + 1;
    }
    rest = buffer.slice(start);
  }
  if (rest) yield { line, text: rest };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function importFile(options: ImportOptions): Promise<ImportSummary> {
  const file = options.path;
  const format = options.format ?? detectFormat(file);
  if (!format)
    throw new ImportOptionsError(`cannot tell the format of ${file} from its extension; give --format csv or ftm`);
  if (format === "ftm" && (options.schema !== undefined || options.map?.length || options.idColumn !== undefined))
    throw new ImportOptionsError("--schema, --map and --id apply only to CSV files");

  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new ImportFileError(file, `${file} is not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError(file, `cannot open ${file}: ${messageOf(error)}`, { cause: error });
  }

  const base = basename(file);
  const context: RecordContext = {
    ...options.context,
    // Flags sit between the node's defaults and markings given in the file.
    defaultMarkings: Object.assign({}, options.context.defaultMarkings, markingsLayer(options.markings)),
  };
  let total: number | undefined;
  if (options.onProgress && size > 0) total = Math.max(0, (await countLines(file)) - (format === "csv" ? 1 : 0));
  const maxErrors = Math.max(1, options.maxErrors ?? DEFAULT_MAX_ERRORS);

  const collect = async (writer: BulkWriter | undefined): Promise<Collector> => {
    const collector = new Collector(file, maxErrors, writer);
    const progress = () => {
      if (options.onProgress && collector.records % PROGRESS_EVERY === 0) options.onProgress(collector.records, total);
    };
    try {
      let source: { spec: RecordSpec; records: AsyncIterable<RawRecord> } | undefined;
      if (format === "csv") source = await openCsv(options, context, base);
      else source = { spec: { format: "ftm", context, base }, records: ftmRecords(file) };
      if (!source)
        collector.issue(1, "(header)", "missing_header", "the file is empty; a CSV import needs a header row");
      else
        for await (const batch of validateRecords(source.spec, source.records, writer !== undefined)) {
          await collector.take(batch, progress);
          if (collector.full) break;
        }
      // Inside the try: a writer that runs ahead reports a conflict in the last batches only here.
      await writer?.flush();
    } catch (error) {
      if (error instanceof SchemaConflictError) {
        const line = collector.seen.get(error.entityId)?.line ?? 0;
        collector.issue(line, "schema", "schema_conflict", `${error.message} in the database; nothing was written`);
      } else if (error instanceof CsvSyntaxError || error instanceof InvalidUtf8Error)
        collector.issue(
          error.line,
          "(line)",
          error instanceof CsvSyntaxError ? "invalid_csv" : "invalid_utf8",
          error.reason,
        );
      else throw error;
    }
    options.onProgress?.(collector.records, collector.records);
    if (writer && collector.issues.length > 0) throw new RollbackImport(collector);
    return collector;
  };

  let collector: Collector;
  let written = false;
  if (options.dryRun) collector = await collect(undefined);
  else {
    try {
      const parallel = size >= (options.parallelFromBytes ?? PARALLEL_FROM_BYTES);
      // A new generation tells a running node, whose index did not see these writes, to rebuild it.
      collector = await options.repository.bulkWrite(context.recordedAt, collect, { parallel, newGeneration: true });
      written = true;
    } catch (error) {
      if (!(error instanceof RollbackImport)) throw error;
      collector = error.collector;
    }
  }
  return {
    file,
    records: collector.records,
    entities: collector.seen.size,
    statements: collector.statements,
    written,
    issues: collector.issues,
  };
}

/** The non-blank lines of an FtM JSON-lines file, as raw records. */
async function* ftmRecords(file: string): AsyncGenerator<RawRecord> {
  for await (const { line, text } of readLines(fileChunks(file))) if (text.trim()) yield { line, text };
}

/** The rows of a CSV file, header included, as parsed records. */
async function* csvRows(file: string): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser();
  const records: CsvRecord[] = [];
  for await (const text of decodeUtf8(fileChunks(file))) {
    parser.push(text, records);
    yield* records;
    records.length = 0;
  }
  parser.end(records);
  yield* records;
}

/** Reads the header (checking the mapping against it before any row) and returns the spec and the data rows. */
async function openCsv(
  options: ImportOptions,
  context: RecordContext,
  base: string,
): Promise<{ spec: RecordSpec; records: AsyncIterable<RawRecord> } | undefined> {
  // Checked before the first row is read, so a wrong --map fails at once rather than as one issue per row.
  const maps = parseMapSpecs(options.map ?? []);
  const rows = csvRows(options.path);
  const first = await rows.next();
  if (first.done) return undefined;
  const mapping = { schema: options.schema, header: first.value.fields, maps, idColumn: options.idColumn, file: base };
  new RowMapper(mapping);
  return { spec: { format: "csv", context, base, mapping }, records: rows };
}
