// `puente import` as a service: reads a CSV or FollowTheMoney JSON-lines file as a stream, validates every record,
// and writes all of it in one transaction or nothing at all. Issues name the file, the line and the column or
// property the user wrote, so a clerk can fix the source file without reading Puente's internals.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import type { Entity, EntityInput, MarkingsInput, ValidationIssue } from "../model/types.ts";
import { buildEntity, type RecordContext } from "../model/validate.ts";
import type { EntityRepository } from "../store/entity-repository.ts";
import { SchemaConflictError } from "../store/entity-repository.ts";
import { CsvParser, type CsvRecord, CsvSyntaxError, decodeUtf8, InvalidUtf8Error, type TextSource } from "./csv.ts";
import { markingsLayer, parseMapSpecs, RowMapper } from "./mapping.ts";

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

/** An entity being collected; records that spread one entity over several lines are merged into it. */
interface Pending {
  entity: Entity;
  /** Line where the entity first appeared: repository errors about it point there. */
  line: number;
  /** Statement ids, built only once a second record for the entity turns up. */
  statementIds?: Set<string>;
}

/** Collects entities and issues across the records of one file. */
class Collector {
  readonly issues: ImportIssue[] = [];
  readonly entities = new Map<string, Pending>();
  records = 0;
  statements = 0;
  private readonly seen = new Set<string>();

  constructor(
    readonly file: string,
    private readonly maxErrors: number,
  ) {}

  get full(): boolean {
    return this.issues.length >= this.maxErrors;
  }

  issue(line: number, field: string, code: string, message: string): void {
    if (this.full) return;
    // Markings are resolved per value, so one bad markings cell would otherwise be reported once per value.
    const key = `${line}\u0000${field}\u0000${code}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.issues.push({ file: this.file, line, field, code, message });
  }

  add(entity: Entity, line: number): void {
    const pending = this.entities.get(entity.id);
    if (!pending) {
      this.entities.set(entity.id, { entity, line });
      this.statements += entity.statements.length;
      return;
    }
    if (pending.entity.schema !== entity.schema) {
      this.issue(
        line,
        "schema",
        "schema_mismatch",
        `entity ${entity.id} is a ${entity.schema} here but a ${pending.entity.schema} on line ${pending.line}`,
      );
      return;
    }
    pending.statementIds ??= new Set(pending.entity.statements.map((statement) => statement.id));
    for (const statement of entity.statements)
      if (!pending.statementIds.has(statement.id)) {
        pending.statementIds.add(statement.id);
        pending.entity.statements.push(statement);
        this.statements++;
      }
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

/** FtM field for an issue path: the property, with the value's position when the property has several. */
function ftmField(path: string, input: unknown): string {
  if (path === "") return "(line)";
  const match = /^properties\.([^.[]+)(?:\[(\d+)\])?(.*)$/u.exec(path);
  if (!match) return path;
  const [, property = "", index, rest = ""] = match;
  const values = (input as EntityInput).properties?.[property];
  const several = Array.isArray(values) && values.length > 1;
  return `${property}${several && index !== undefined ? `[${index}]` : ""}${rest}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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

  const collector = new Collector(file, Math.max(1, options.maxErrors ?? DEFAULT_MAX_ERRORS));
  const base = basename(file);
  const context: RecordContext = {
    ...options.context,
    // Flags sit between the node's defaults and markings given in the file.
    defaultMarkings: Object.assign({}, options.context.defaultMarkings, markingsLayer(options.markings)),
  };
  let total: number | undefined;
  if (options.onProgress && size > 0) total = Math.max(0, (await countLines(file)) - (format === "csv" ? 1 : 0));
  const progress = () => {
    if (options.onProgress && collector.records % PROGRESS_EVERY === 0) options.onProgress(collector.records, total);
  };

  try {
    if (format === "csv") await collectCsv(options, context, base, collector, progress);
    else await collectFtm(context, base, collector, progress);
  } catch (error) {
    if (error instanceof CsvSyntaxError || error instanceof InvalidUtf8Error)
      collector.issue(
        error.line,
        "(line)",
        error instanceof CsvSyntaxError ? "invalid_csv" : "invalid_utf8",
        error.reason,
      );
    else throw error;
  }
  options.onProgress?.(collector.records, collector.records);

  const entities = [...collector.entities.values()].map((pending) => pending.entity);
  const summary: ImportSummary = {
    file,
    records: collector.records,
    entities: entities.length,
    statements: collector.statements,
    written: false,
    issues: collector.issues,
  };
  if (collector.issues.length > 0 || options.dryRun) return summary;

  try {
    await options.repository.saveEntities(entities, context.recordedAt);
  } catch (error) {
    if (error instanceof SchemaConflictError) {
      const line = collector.entities.get(error.entityId)?.line ?? 0;
      collector.issue(line, "schema", "schema_conflict", `${error.message} in the database; nothing was written`);
    } else {
      collector.issue(0, "(database)", "write_failed", `nothing was written: ${messageOf(error)}`);
    }
    return summary;
  }
  summary.written = true;
  return summary;
}

async function collectFtm(context: RecordContext, base: string, collector: Collector, progress: () => void) {
  for await (const { line, text } of readLines(fileChunks(collector.file))) {
    if (collector.full) break;
    if (!text.trim()) continue;
    collector.records++;
    progress();
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch (error) {
      // FtM files hold one entity per line; a pretty-printed file or a JSON array fails here on its first line.
      collector.issue(line, "(line)", "invalid_json", `not one JSON object on a line: ${messageOf(error)}`);
      continue;
    }
    if (isPlainObject(input) && isPlainObject(input.markings))
      input.markings = markingsLayer(input.markings as MarkingsInput);
    const result = buildEntity(input as EntityInput, { ...context, sourceRecord: `${base}#${line}` });
    if (result.ok) collector.add(result.entity, line);
    else for (const issue of result.issues) report(collector, line, ftmField(issue.path, input), issue);
  }
}

async function collectCsv(
  options: ImportOptions,
  context: RecordContext,
  base: string,
  collector: Collector,
  progress: () => void,
) {
  // Checked before the first row is read, so a wrong --map fails at once rather than as one issue per row.
  const maps = parseMapSpecs(options.map ?? []);
  const parser = new CsvParser();
  const records: CsvRecord[] = [];
  let mapper: RowMapper | undefined;
  let rowContext: RecordContext = context;
  const take = (record: CsvRecord) => {
    if (!mapper) {
      mapper = new RowMapper({
        schema: options.schema,
        header: record.fields,
        maps,
        idColumn: options.idColumn,
        file: base,
      });
      rowContext = { ...context, formats: mapper.formats };
      return;
    }
    collector.records++;
    progress();
    const mapped = mapper.toEntity(record);
    if ("problem" in mapped) {
      collector.issue(record.line, mapped.problem.field, mapped.problem.code, mapped.problem.message);
      return;
    }
    const result = buildEntity(mapped.row.input, { ...rowContext, sourceRecord: `${base}#${record.line}` });
    if (result.ok) collector.add(result.entity, record.line);
    else
      for (const issue of result.issues)
        report(collector, record.line, mapper.fieldForPath(issue.path, mapped.row), issue);
  };
  for await (const text of decodeUtf8(fileChunks(collector.file))) {
    parser.push(text, records);
    for (const record of records) {
      if (collector.full) return;
      take(record);
    }
    records.length = 0;
  }
  parser.end(records);
  for (const record of records) {
    if (collector.full) return;
    take(record);
  }
  if (!mapper) collector.issue(1, "(header)", "missing_header", "the file is empty; a CSV import needs a header row");
}

function report(collector: Collector, line: number, field: string, issue: ValidationIssue): void {
  collector.issue(line, field, issue.code, issue.message);
}
