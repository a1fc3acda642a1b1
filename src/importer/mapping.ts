// `--map column=property[:format]` for CSV imports: parses the specs, checks them against the file's header and the
// schema before any row is read, and turns each row into an EntityInput, remembering which column fed which value
// so a validation issue can name the column the user knows rather than the property it became.
import { basename, extname } from "node:path";
import { getSchema, type Schema } from "../model/schema.ts";
import type { EntityInput, MarkingsInput, Provenance } from "../model/types.ts";
import type { CsvRecord } from "./csv.ts";

/** One `column=property[:format]` item; `spec` is the item as the user wrote it, for error messages. */
export interface ColumnMap {
  spec: string;
  column: string;
  /** A property of the schema, or a markings/provenance target such as "markings.tlp". */
  property: string;
  format?: string;
}

/** A `--map`, `--schema` or `--id` that cannot work with this file; raised before any row is read. */
export class MappingError extends Error {}

type MarkingsKey = keyof MarkingsInput;

/** Columns read into the entity's markings, by the name they have in the file (or as a `--map` target). */
export const MARKINGS_COLUMNS: Readonly<Record<string, MarkingsKey>> = {
  "markings.tlp": "tlp",
  "markings.sourceGrade": "sourceGrade",
  "markings.infoGrade": "infoGrade",
  "markings.grading": "grading",
  "markings.handlingCode": "handlingCode",
  "markings.releasableCountries": "releasableCountries",
  "markings.releasableAgencies": "releasableAgencies",
  "markings.useRestrictions": "useRestrictions",
  "markings.legalBasis": "legalBasis",
  "markings.criminalIntelligence": "criminalIntelligence",
  "markings.reasonableSuspicion": "reasonableSuspicion",
  "markings.reviewBy": "reviewBy",
};

type ProvenanceKey = "sourceRecord" | "collectedAt";
export const PROVENANCE_COLUMNS: Readonly<Record<string, ProvenanceKey>> = {
  "provenance.sourceRecord": "sourceRecord",
  "provenance.collectedAt": "collectedAt",
};

/** Parses every `--map` value; each may hold several comma-separated items. */
export function parseMapSpecs(specs: readonly string[]): ColumnMap[] {
  const maps: ColumnMap[] = [];
  for (const spec of specs)
    for (const raw of spec.split(",")) {
      const item = raw.trim();
      if (!item) continue;
      const equals = item.indexOf("=");
      if (equals === -1) throw new MappingError(`--map "${item}" is not column=property[:format]`);
      const column = item.slice(0, equals).trim();
      const target = item.slice(equals + 1).trim();
      const colon = target.indexOf(":");
      const property = (colon === -1 ? target : target.slice(0, colon)).trim();
      const format = colon === -1 ? undefined : target.slice(colon + 1).trim();
      if (!column) throw new MappingError(`--map "${item}" names no column`);
      if (!property) throw new MappingError(`--map "${item}" names no property`);
      if (format === "") throw new MappingError(`--map "${item}" has an empty format after ":"`);
      maps.push({ spec: item, column, property, ...(format ? { format } : {}) });
    }
  return maps;
}

/**
 * A markings layer ready to be laid over a lower one with Object.assign: keys left undefined are dropped so they do
 * not erase the layer below, and a layer that grades with sourceGrade/infoGrade clears a `grading` from below —
 * otherwise a node-wide or command-line grading would silently win over grades given closer to the data.
 */
export function markingsLayer(markings: MarkingsInput | undefined): MarkingsInput {
  const layer: MarkingsInput = {};
  if (!markings) return layer;
  for (const [key, value] of Object.entries(markings))
    if (value !== undefined) (layer as Record<string, unknown>)[key] = value;
  if ((layer.sourceGrade !== undefined || layer.infoGrade !== undefined) && layer.grading === undefined)
    layer.grading = undefined;
  return layer;
}

type ColumnRole =
  | { kind: "property"; property: string }
  | { kind: "markings"; key: MarkingsKey }
  | { kind: "provenance"; key: ProvenanceKey }
  | { kind: "id" };

interface BoundColumn {
  index: number;
  name: string;
  role: ColumnRole;
}

/** A row that cannot become an entity at all (wrong number of fields, no id). */
export interface RowProblem {
  field: string;
  code: string;
  message: string;
}

export interface MappedRow {
  input: EntityInput;
  /** For each property, the column each of its values came from, by value index. */
  valueColumns: Map<string, string[]>;
  /** For each markings or provenance key given by a column of this row, that column's name. */
  keyColumns: Map<string, string>;
}

export interface MappingOptions {
  schema: string | undefined;
  header: readonly string[];
  maps: readonly ColumnMap[];
  idColumn?: string | undefined;
  /** The file name, for row ids when there is no id column. */
  file: string;
}

/** The checked mapping of one file: turns its rows into entity inputs. */
export class RowMapper {
  readonly schema: Schema;
  /** Date formats by property, for RecordContext.formats. */
  readonly formats: Record<string, string>;
  private readonly columns: BoundColumn[];
  private readonly width: number;
  private readonly idColumn: string | undefined;
  private readonly rowIdPrefix: string;

  constructor(options: MappingOptions) {
    if (!options.schema) throw new MappingError("a CSV import needs --schema (e.g. --schema Person)");
    const schema = getSchema(options.schema);
    if (!schema) throw new MappingError(`--schema "${options.schema}" is not a Puente schema`);
    if (schema.abstract) throw new MappingError(`--schema ${schema.name} is abstract; give a concrete schema`);
    this.schema = schema;
    this.width = options.header.length;

    const header = options.header.map((name) => name.trim());
    const positions = new Map<string, number>();
    const duplicates = new Set<string>();
    header.forEach((name, index) => {
      if (!name) return;
      if (positions.has(name)) duplicates.add(name);
      else positions.set(name, index);
    });
    const known = () => [...positions.keys()].map((name) => `"${name}"`).join(", ");
    // A header may repeat a name the import does not use; only reading from such a column is ambiguous.
    const indexOf = (name: string): number | undefined => {
      if (duplicates.has(name)) throw new MappingError(`the header names column "${name}" more than once`);
      return positions.get(name);
    };

    const columns: BoundColumn[] = [];
    const formats: Record<string, string> = {};
    const roleOf = (target: string, spec: string): ColumnRole => {
      const markingsKey = MARKINGS_COLUMNS[target];
      if (markingsKey) return { kind: "markings", key: markingsKey };
      const provenanceKey = PROVENANCE_COLUMNS[target];
      if (provenanceKey) return { kind: "provenance", key: provenanceKey };
      if (target.startsWith("markings.") || target.startsWith("provenance."))
        throw new MappingError(
          `--map "${spec}": "${target}" is not one of ${[...Object.keys(MARKINGS_COLUMNS), ...Object.keys(PROVENANCE_COLUMNS)].join(", ")}`,
        );
      if (!schema.properties.has(target))
        throw new MappingError(`--map "${spec}": ${schema.name} has no property "${target}"`);
      return { kind: "property", property: target };
    };

    if (options.idColumn !== undefined) {
      const index = indexOf(options.idColumn.trim());
      if (index === undefined)
        throw new MappingError(`--id "${options.idColumn}" is not a column of the file (columns: ${known()})`);
      columns.push({ index, name: options.idColumn.trim(), role: { kind: "id" } });
    }
    this.idColumn = options.idColumn?.trim();

    const mapped = new Set<number>();
    for (const map of options.maps) {
      const index = indexOf(map.column);
      if (index === undefined)
        throw new MappingError(`--map "${map.spec}": the file has no column "${map.column}" (columns: ${known()})`);
      const role = roleOf(map.property, map.spec);
      if (map.format !== undefined) {
        const definition = role.kind === "property" ? schema.properties.get(role.property) : undefined;
        if (definition?.type !== "date")
          throw new MappingError(`--map "${map.spec}": a format applies only to date properties`);
        if (!map.format.includes("YYYY"))
          throw new MappingError(`--map "${map.spec}": the date format must contain YYYY (e.g. DD/MM/YYYY)`);
        const earlier = formats[definition.name];
        // Formats are per property when values are validated, so two columns cannot read one property two ways.
        if (earlier !== undefined && earlier !== map.format)
          throw new MappingError(`--map "${map.spec}": ${definition.name} already has the format ${earlier}`);
        formats[definition.name] = map.format;
      }
      mapped.add(index);
      columns.push({ index, name: map.column, role });
    }

    // Markings and provenance columns are read by their names, whether or not they are mapped.
    const unmapped: string[] = [];
    header.forEach((name, index) => {
      if (!name || mapped.has(index) || name === this.idColumn) return;
      if (name.startsWith("markings.") || name.startsWith("provenance.")) {
        indexOf(name);
        columns.push({ index, name, role: roleOf(name, name) });
      } else if (options.maps.length === 0) {
        // Without --map, columns named like properties are read as those properties; anything else is a mistake
        // the user should hear about rather than data silently left behind.
        if (schema.properties.has(name)) {
          indexOf(name);
          columns.push({ index, name, role: { kind: "property", property: name } });
        } else unmapped.push(`"${name}"`);
      }
    });
    if (unmapped.length > 0)
      throw new MappingError(
        `columns ${unmapped.join(", ")} are not properties of ${schema.name}; give --map column=property for the columns to import`,
      );
    if (!columns.some((column) => column.role.kind === "property"))
      throw new MappingError(`no column is mapped to a property of ${schema.name}; give --map column=property`);

    this.columns = columns;
    this.formats = formats;
    this.rowIdPrefix = rowIdPrefix(options.file);
  }

  /** Turns one data row into an entity input, or says why the row cannot be one. */
  toEntity(record: CsvRecord): { row: MappedRow } | { problem: RowProblem } {
    if (record.fields.length !== this.width)
      return {
        problem: {
          field: "(row)",
          code: "field_count",
          message: `the row has ${record.fields.length} fields, the header has ${this.width}`,
        },
      };
    let id = `${this.rowIdPrefix}-row-${record.line}`;
    const properties: Record<string, string[]> = {};
    const valueColumns = new Map<string, string[]>();
    const keyColumns = new Map<string, string>();
    let markings: MarkingsInput | undefined;
    let provenance: Partial<Provenance> | undefined;
    for (const column of this.columns) {
      const cell = record.fields[column.index] ?? "";
      const role = column.role;
      // Empty cells say nothing: no value, no marking.
      if (!cell.trim()) {
        if (role.kind === "id")
          return {
            problem: { field: column.name, code: "missing_id", message: `the id column "${column.name}" is empty` },
          };
        continue;
      }
      switch (role.kind) {
        case "id":
          id = cell.trim();
          break;
        case "property": {
          const values = properties[role.property];
          if (values) values.push(cell);
          else properties[role.property] = [cell];
          const sources = valueColumns.get(role.property);
          if (sources) sources.push(column.name);
          else valueColumns.set(role.property, [column.name]);
          break;
        }
        case "markings":
          markings ??= {};
          (markings as Record<string, string>)[role.key] = cell;
          keyColumns.set(`markings.${role.key}`, column.name);
          break;
        case "provenance":
          provenance ??= {};
          provenance[role.key] = cell.trim();
          keyColumns.set(`provenance.${role.key}`, column.name);
          break;
      }
    }
    const input: EntityInput = { id, schema: this.schema.name, properties };
    if (markings) input.markings = markingsLayer(markings);
    if (provenance) input.provenance = provenance;
    return { row: { input, valueColumns, keyColumns } };
  }

  /** The column (or, failing that, the name the user can recognise) behind a validation issue's path. */
  fieldForPath(path: string, row: MappedRow): string {
    if (path === "id") return this.idColumn ?? "id";
    if (path === "schema") return "schema";
    // Entity-level markings ("markings.tlp") and per-value ones ("properties.name[0].markings.tlp") both come from
    // the row's markings columns, or from the flags and node defaults when the row has no such column.
    const entityLevel = /^(markings|provenance)\.([\w()]+)/u.exec(path);
    if (entityLevel) {
      const key = `${entityLevel[1]}.${entityLevel[2]}`;
      return row.keyColumns.get(key) ?? key;
    }
    const match = /^properties\.([^.[]+)(?:\[(\d+)\])?(?:\.(markings|provenance)\.(\w+))?/u.exec(path);
    if (!match) return "(row)";
    const [, property = "", index, group, key] = match;
    if (group && key) return row.keyColumns.get(`${group}.${key}`) ?? `${group}.${key}`;
    const sources = row.valueColumns.get(property);
    return sources?.[index === undefined ? 0 : Number(index)] ?? sources?.[0] ?? property;
  }
}

/** Ids for rows without an id column: stable across re-imports of the same file, e.g. "people-row-12". */
function rowIdPrefix(file: string): string {
  const name = basename(file);
  const stem =
    name
      .slice(0, name.length - extname(name).length)
      .replace(/[^A-Za-z0-9._-]+/gu, "-")
      .replace(/^[^A-Za-z0-9]+/u, "")
      .slice(0, 100) || "csv";
  return stem;
}
