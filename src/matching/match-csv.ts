// Reads the CSV files of `puente match` into match records: a column map (`column=property[:format]`, several
// columns may feed one property and are joined in order with a space), tolerant CSV (quotes, BOM, CRLF, spaces after
// delimiters), and errors that name the file, the line and the field.
import { createReadStream } from "node:fs";
import { CsvSyntaxError, InvalidUtf8Error, readCsv } from "../importer/csv.ts";
import { normalizeDate } from "../model/dates.ts";
import { isMatchProperty, MATCH_PROPERTIES, type MatchProperty, type MatchRecord } from "./record.ts";

export class MatchInputError extends Error {}

interface MapEntry {
  column: string;
  property: MatchProperty;
  format?: string;
}

const DATE_FORMAT = /^(?:YYYY|MM|DD|M|D|[^A-Za-z0-9])+$/u;

/** Parses `column=property[:format],…`; with no spec, every column named like a property maps to it. */
export function parseMatchMap(spec: string | undefined, header: string[], file: string): MapEntry[] {
  const columns = new Set(header);
  if (!spec) {
    const entries = header.filter(isMatchProperty).map((column) => ({ column, property: column as MatchProperty }));
    if (entries.length === 0)
      throw new MatchInputError(
        `${file}:1: no column is named like a property (${MATCH_PROPERTIES.join(", ")}); give --map column=property`,
      );
    return entries;
  }
  return spec
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^([^=]+)=([A-Za-z]+)(?::(.+))?$/u.exec(part);
      if (!match) throw new MatchInputError(`--map "${part}": expected column=property[:format]`);
      const [, column = "", property = "", format] = match;
      if (!columns.has(column.trim()))
        throw new MatchInputError(`${file}:1: --map "${part}": no column "${column.trim()}" in the header`);
      if (!isMatchProperty(property))
        throw new MatchInputError(`--map "${part}": "${property}" is not one of ${MATCH_PROPERTIES.join(", ")}`);
      if (format !== undefined && (property !== "birthDate" || !DATE_FORMAT.test(format) || !format.includes("YYYY")))
        throw new MatchInputError(`--map "${part}": "${format}" is not a date format such as YYYYMMDD or DD/MM/YYYY`);
      return { column: column.trim(), property, ...(format ? { format } : {}) };
    });
}

export interface ReadOptions {
  file: string;
  idColumn?: string | undefined;
  map?: string | undefined;
  country?: string | undefined;
}

/** Reads a whole file of records; ids come from --id or, without it, from the line number. */
export async function readMatchRecords(options: ReadOptions): Promise<MatchRecord[]> {
  const { file } = options;
  let rows: AsyncGenerator<{ line: number; fields: string[] }>;
  try {
    rows = readCsv(createReadStream(file), { skipInitialSpace: true });
  } catch (error) {
    throw new MatchInputError(`${file}: ${(error as Error).message}`);
  }
  const records: MatchRecord[] = [];
  let header: string[] | undefined;
  let entries: MapEntry[] = [];
  let idIndex = -1;
  let indexes: number[] = [];
  const seenIds = new Set<string>();
  try {
    for await (const { line, fields } of rows) {
      if (!header) {
        header = fields.map((name) => name.trim());
        entries = parseMatchMap(options.map, header, file);
        indexes = entries.map((entry) => header?.indexOf(entry.column) ?? -1);
        if (options.idColumn !== undefined) {
          idIndex = header.indexOf(options.idColumn);
          if (idIndex === -1)
            throw new MatchInputError(`${file}:1: --id: no column "${options.idColumn}" in the header`);
        }
        continue;
      }
      if (fields.length !== header.length)
        throw new MatchInputError(`${file}:${line}: the row has ${fields.length} fields, the header ${header.length}`);
      const id = idIndex === -1 ? String(line) : (fields[idIndex] ?? "").trim();
      if (!id) throw new MatchInputError(`${file}:${line}: ${options.idColumn}: the id is empty`);
      if (seenIds.has(id)) throw new MatchInputError(`${file}:${line}: ${options.idColumn}: id "${id}" appears twice`);
      seenIds.add(id);
      const joined = new Map<MatchProperty, string[]>();
      entries.forEach((entry, i) => {
        const raw = (fields[indexes[i] as number] ?? "").trim();
        if (!raw) return;
        let value = raw;
        if (entry.property === "birthDate") {
          const date = normalizeDate(raw, entry.format);
          // A corrupt date is treated as missing, as a clerk would: it is not evidence either way.
          if (!date.ok) return;
          value = date.value;
        }
        const parts = joined.get(entry.property) ?? [];
        parts.push(value);
        joined.set(entry.property, parts);
      });
      const values: MatchRecord["values"] = {};
      for (const [property, parts] of joined) values[property] = property === "birthDate" ? parts : [parts.join(" ")];
      records.push({ id, values, ...(options.country ? { country: options.country } : {}) });
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError || error instanceof InvalidUtf8Error)
      throw new MatchInputError(`${file}:${error.line}: ${error.reason}`);
    if (error instanceof Error && "code" in error && (error.code === "ENOENT" || error.code === "EISDIR"))
      throw new MatchInputError(`${file}: cannot read the file (${error.code})`);
    throw error;
  }
  if (!header) throw new MatchInputError(`${file}: the file is empty; it needs a header row`);
  return records;
}
