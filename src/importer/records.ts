// Turns one raw record of an import file (an FtM JSON line, or a CSV row) into an entity or into issues that
// name the field the user wrote, and a batch of them into the rows the store writes.
import type { Entity, EntityInput, MarkingsInput } from "../model/types.ts";
import { buildEntity, type RecordContext } from "../model/validate.ts";
import { type PreparedRows, prepareRows } from "../store/entity-repository.ts";
import { type MappingOptions, markingsLayer, RowMapper } from "./mapping.ts";

/** Everything a validator needs to know about the file and the node. */
export type RecordSpec =
  | { format: "ftm"; context: RecordContext; base: string }
  | { format: "csv"; context: RecordContext; base: string; mapping: MappingOptions };

/** One record as read from the file: a JSON line, or the fields of a CSV row. */
export type RawRecord = { line: number; text: string } | { line: number; fields: string[] };

export interface RecordIssue {
  field: string;
  code: string;
  message: string;
}

export interface RecordOutcome {
  line: number;
  entity?: Entity;
  issues: RecordIssue[];
}

/** What a batch of records came to: per record its entity (id and schema only) or issues, and the rows to write. */
export interface ValidatedBatch {
  outcomes: Array<{ line: number; entity?: { id: string; schema: string }; issues: RecordIssue[] }>;
  rows: PreparedRows;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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

export class RecordValidator {
  private readonly mapper: RowMapper | undefined;
  private readonly context: RecordContext;

  constructor(private readonly spec: RecordSpec) {
    this.mapper = spec.format === "csv" ? new RowMapper(spec.mapping) : undefined;
    this.context = this.mapper ? { ...spec.context, formats: this.mapper.formats } : spec.context;
  }

  validate(raw: RawRecord): RecordOutcome {
    const { line } = raw;
    const context = { ...this.context, sourceRecord: `${this.spec.base}#${line}` };
    if ("fields" in raw) {
      const mapper = this.mapper as RowMapper;
      const mapped = mapper.toEntity({ line, fields: raw.fields });
      if ("problem" in mapped) return { line, issues: [mapped.problem] };
      const result = buildEntity(mapped.row.input, context);
      if (result.ok) return { line, entity: result.entity, issues: [] };
      return {
        line,
        issues: result.issues.map(({ path, code, message }) => ({
          field: mapper.fieldForPath(path, mapped.row),
          code,
          message,
        })),
      };
    }
    let input: unknown;
    try {
      input = JSON.parse(raw.text);
    } catch (error) {
      // FtM files hold one entity per line; a pretty-printed file or a JSON array fails here on its first line.
      const message = `not one JSON object on a line: ${error instanceof Error ? error.message : String(error)}`;
      return { line, issues: [{ field: "(line)", code: "invalid_json", message }] };
    }
    if (isPlainObject(input) && isPlainObject(input.markings))
      input.markings = markingsLayer(input.markings as MarkingsInput);
    const result = buildEntity(input as EntityInput, context);
    if (result.ok) return { line, entity: result.entity, issues: [] };
    return {
      line,
      issues: result.issues.map(({ path, code, message }) => ({ field: ftmField(path, input), code, message })),
    };
  }
}

/** Validates a batch; `prepare` is false for dry runs, which write nothing and so need no rows. */
export function validateBatch(validator: RecordValidator, records: RawRecord[], prepare: boolean): ValidatedBatch {
  const entities: Entity[] = [];
  const outcomes = records.map((record) => {
    const { line, entity, issues } = validator.validate(record);
    if (!entity) return { line, issues };
    entities.push(entity);
    return { line, entity: { id: entity.id, schema: entity.schema }, issues };
  });
  const rows = prepareRows(prepare ? entities : []);
  if (!prepare) rows.statementCount = entities.reduce((sum, entity) => sum + entity.statements.length, 0);
  return { outcomes, rows };
}
