// Tests for `--map` parsing and CSV rows as entity inputs: errors that name the spec before any row is read, empty
// cells, markings and provenance columns, row ids, and issue paths traced back to the columns that fed them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MappingError, type MappingOptions, markingsLayer, parseMapSpecs, RowMapper } from "./mapping.ts";

const header = [
  "id",
  "nombre",
  "alias",
  "dob",
  "markings.tlp",
  "markings.releasableCountries",
  "provenance.collectedAt",
];

function mapper(options: Partial<MappingOptions> = {}): RowMapper {
  return new RowMapper({
    schema: "Person",
    header,
    maps: parseMapSpecs(["nombre=name,alias=alias", "dob=birthDate:DD/MM/YYYY"]),
    file: "data/people.csv",
    ...options,
  });
}

function mappingError(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof MappingError, `expected a MappingError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

test("map specs: several flags, comma-separated items, optional formats, spaces ignored", () => {
  assert.deepEqual(parseMapSpecs(["nombre=name, dob = birthDate:DD/MM/YYYY", "tel=phone"]), [
    { spec: "nombre=name", column: "nombre", property: "name" },
    { spec: "dob = birthDate:DD/MM/YYYY", column: "dob", property: "birthDate", format: "DD/MM/YYYY" },
    { spec: "tel=phone", column: "tel", property: "phone" },
  ]);
});

test("malformed map specs are refused, quoting the item", () => {
  mappingError(() => parseMapSpecs(["nombre"]), /"nombre" is not column=property/u);
  mappingError(() => parseMapSpecs(["=name"]), /"=name" names no column/u);
  mappingError(() => parseMapSpecs(["nombre="]), /"nombre=" names no property/u);
  mappingError(() => parseMapSpecs(["dob=birthDate:"]), /empty format/u);
});

test("a map naming an unknown column or property, or a format on a non-date, fails naming the spec", () => {
  mappingError(
    () => mapper({ maps: parseMapSpecs(["nombre=name,apellido=lastName"]) }),
    /--map "apellido=lastName": the file has no column "apellido" \(columns: "id", "nombre"/u,
  );
  mappingError(
    () => mapper({ maps: parseMapSpecs(["nombre=nombre"]) }),
    /--map "nombre=nombre": Person has no property "nombre"/u,
  );
  mappingError(
    () => mapper({ maps: parseMapSpecs(["nombre=name:DD/MM/YYYY"]) }),
    /"nombre=name:DD\/MM\/YYYY": a format applies only to date/u,
  );
  mappingError(() => mapper({ maps: parseMapSpecs(["dob=birthDate:DD/MM"]) }), /must contain YYYY/u);
  mappingError(
    () => mapper({ maps: parseMapSpecs(["nombre=markings.colour"]) }),
    /"nombre=markings.colour": "markings.colour" is not one of/u,
  );
  mappingError(
    () => mapper({ maps: parseMapSpecs(["dob=birthDate:DD/MM/YYYY", "alias=birthDate:MM/DD/YYYY"]) }),
    /birthDate already has the format DD\/MM\/YYYY/u,
  );
});

test("schema and id column are checked before any row is read", () => {
  mappingError(() => mapper({ schema: undefined }), /needs --schema/u);
  mappingError(() => mapper({ schema: "Persona" }), /"Persona" is not a Puente schema/u);
  mappingError(() => mapper({ schema: "Thing" }), /abstract/u);
  mappingError(() => mapper({ idColumn: "folio" }), /--id "folio" is not a column/u);
  mappingError(
    () => mapper({ header: ["nombre", "markings.colour"], maps: parseMapSpecs(["nombre=name"]) }),
    /"markings.colour" is not one of/u,
  );
  mappingError(() => mapper({ header: ["nombre", "nombre", "dob", "alias"] }), /column "nombre" more than once/u);
});

test("without --map, columns named like properties are read as them, and any other column is an error", () => {
  const identity = new RowMapper({
    schema: "Person",
    header: ["name", "birthDate", "markings.tlp"],
    maps: [],
    file: "p.csv",
  });
  const result = identity.toEntity({ line: 2, fields: ["Ana", "1980-01-02", "RED"] });
  assert.ok("row" in result);
  assert.deepEqual(result.row.input.properties, { name: ["Ana"], birthDate: ["1980-01-02"] });
  mappingError(
    () => new RowMapper({ schema: "Person", header: ["name", "nombre", "folio"], maps: [], file: "p.csv" }),
    /columns "nombre", "folio" are not properties of Person/u,
  );
});

test("a row becomes an entity input: empty cells skipped, markings and provenance read from their columns", () => {
  const result = mapper({ idColumn: "id" }).toEntity({
    line: 4,
    fields: ["mx-17", "Ana López", "  ", "01/02/1980", "GREEN", "MX;US", "2025-12-01"],
  });
  assert.ok("row" in result);
  assert.deepEqual(result.row.input, {
    id: "mx-17",
    schema: "Person",
    properties: { name: ["Ana López"], birthDate: ["01/02/1980"] },
    markings: { tlp: "GREEN", releasableCountries: "MX;US" },
    provenance: { collectedAt: "2025-12-01" },
  });
});

test("without --id, rows get ids from the file's name and their line, stable across re-imports", () => {
  const result = mapper().toEntity({ line: 12, fields: ["", "Ana", "", "", "", "", ""] });
  assert.ok("row" in result);
  assert.equal(result.row.input.id, "people-row-12");
  assert.equal(result.row.input.markings, undefined);
  const odd = new RowMapper({ schema: "Person", header: ["name"], maps: [], file: "/x/ fichas (2025).csv" });
  const other = odd.toEntity({ line: 3, fields: ["Ana"] });
  assert.ok("row" in other);
  assert.match(other.row.input.id, /^[A-Za-z0-9][A-Za-z0-9._-]*-row-3$/u);
});

test("rows with the wrong number of fields, or an empty id, cannot become entities", () => {
  const short = mapper().toEntity({ line: 5, fields: ["1", "Ana"] });
  assert.ok("problem" in short);
  assert.equal(short.problem.code, "field_count");
  const noId = mapper({ idColumn: "id" }).toEntity({ line: 6, fields: ["", "Ana", "", "", "", "", ""] });
  assert.ok("problem" in noId);
  assert.deepEqual(noId.problem.field, "id");
  assert.equal(noId.problem.code, "missing_id");
});

test("issue paths lead back to the column that fed the value, or the markings column", () => {
  const rowMapper = new RowMapper({
    schema: "Person",
    header: ["n1", "n2", "dob", "markings.tlp", "nivel"],
    maps: parseMapSpecs(["n1=name,n2=name,dob=birthDate,nivel=markings.legalBasis"]),
    file: "p.csv",
  });
  const result = rowMapper.toEntity({ line: 2, fields: ["", "Ana", "x", "PURPLE", "art. 132"] });
  assert.ok("row" in result);
  const { row } = result;
  // n1 was empty, so the first name value came from n2.
  assert.equal(rowMapper.fieldForPath("properties.name[0]", row), "n2");
  assert.equal(rowMapper.fieldForPath("properties.birthDate[0]", row), "dob");
  assert.equal(rowMapper.fieldForPath("properties.birthDate[0].markings.tlp", row), "markings.tlp");
  assert.equal(rowMapper.fieldForPath("markings.tlp", row), "markings.tlp");
  assert.equal(rowMapper.fieldForPath("markings.legalBasis", row), "nivel");
  // Not given by a column of this row: the flag or node default it came from.
  assert.equal(rowMapper.fieldForPath("markings.reviewBy", row), "markings.reviewBy");
  assert.equal(rowMapper.fieldForPath("properties.firstName", row), "firstName");
  assert.equal(rowMapper.fieldForPath("id", row), "id");
});

test("a markings layer with grades of its own clears a grading from the layers below", () => {
  const below = { grading: "uk-3x5x2:1/A/P", tlp: "AMBER" };
  const merged = Object.assign({}, below, markingsLayer({ sourceGrade: "C", infoGrade: "3", tlp: undefined }));
  assert.deepEqual(merged, { grading: undefined, tlp: "AMBER", sourceGrade: "C", infoGrade: "3" });
  assert.deepEqual(Object.assign({}, below, markingsLayer({ tlp: "RED" })), { grading: "uk-3x5x2:1/A/P", tlp: "RED" });
});
