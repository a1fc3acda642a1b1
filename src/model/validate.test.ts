// Tests for turning input entities into statements: precise errors, markings rules, canonical values.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { recordContext } from "./test-fixtures.ts";
import type { EntityInput } from "./types.ts";
import { buildEntity } from "./validate.ts";

const context = recordContext();

const person = (properties: EntityInput["properties"], extra: Partial<EntityInput> = {}): EntityInput => ({
  id: "p-1",
  schema: "Person",
  properties,
  ...extra,
});

function issuesOf(input: EntityInput, ctx = context) {
  const result = buildEntity(input, ctx);
  assert.equal(result.ok, false, "expected validation to fail");
  return result.ok ? [] : result.issues;
}

test("a valid person becomes namespaced statements with canonical values and provenance", () => {
  const result = buildEntity(
    person({ name: ["  José   Luis  Pérez "], birthDate: "1980-02-29", phone: ["55 1234 5678"], nationality: ["mx"] }),
    context,
  );
  assert.ok(result.ok);
  assert.equal(result.entity.id, "mx-fgr:p-1");
  const byProperty = Object.fromEntries(result.entity.statements.map((s) => [s.property, s]));
  assert.equal(byProperty.name?.value, "José Luis Pérez");
  assert.equal(byProperty.name?.originalValue, "  José   Luis  Pérez ");
  assert.equal(byProperty.phone?.value, "+525512345678");
  assert.equal(byProperty.nationality?.value, "MX");
  assert.equal(byProperty.birthDate?.originalValue, null);
  assert.equal(byProperty.name?.provenance.originNode, "mx-fgr");
  assert.equal(byProperty.name?.provenance.recordedBy, "user:ana");
  assert.equal(byProperty.name?.markings.reviewBy, "2031-01-15");
});

test("each bad value is reported with its property, position and a stable code", () => {
  const issues = issuesOf(
    person({ name: ["Ana", "\u0007bell"], birthDate: ["1980-02-30"], nationality: ["ZZ"], shoeSize: ["42"] }),
  );
  const byPath = Object.fromEntries(issues.map((issue) => [issue.path, issue.code]));
  assert.deepEqual(byPath, {
    "properties.name[1]": "control_characters",
    "properties.birthDate[0]": "invalid_date",
    "properties.nationality[0]": "invalid_country",
    "properties.shoeSize": "unknown_property",
  });
});

test("criminal intelligence without a reasonable-suspicion justification is refused", () => {
  const issues = issuesOf(person({ name: ["Ana"] }, { markings: { criminalIntelligence: true } }));
  assert.deepEqual(
    issues.map((issue) => [issue.path, issue.code]),
    [["markings.reasonableSuspicion", "missing_reasonable_suspicion"]],
  );
  const accepted = buildEntity(
    person(
      { name: ["Ana"] },
      { markings: { criminalIntelligence: "yes", reasonableSuspicion: "Courier for a seized load" } },
    ),
    context,
  );
  assert.ok(accepted.ok);
});

test("review-by dates more than five years after recording are refused", () => {
  const issues = issuesOf(person({ name: ["Ana"] }, { markings: { reviewBy: "2031-01-16" } }));
  assert.equal(issues[0]?.code, "review_too_late");
  assert.ok(buildEntity(person({ name: ["Ana"] }, { markings: { reviewBy: "2031-01-15" } }), context).ok);
});

test("ids of another node, unknown schemata and edges without their ends are refused", () => {
  assert.equal(issuesOf(person({ name: ["Ana"] }, { id: "us-fbi:p-1" }))[0]?.code, "foreign_entity_id");
  assert.equal(issuesOf({ id: "x", schema: "Spaceship", properties: {} })[0]?.code, "unknown_schema");
  assert.equal(issuesOf({ id: "x", schema: "Thing", properties: {} })[0]?.code, "unknown_schema");
  const edge = issuesOf({ id: "rel-1", schema: "Ownership", properties: { owner: ["p-1"] } });
  assert.deepEqual(
    edge.map((i) => [i.path, i.code]),
    [["properties.asset", "missing_property"]],
  );
});

test("value-level markings override entity-level markings, which override node defaults", () => {
  const result = buildEntity(
    person(
      { name: ["Ana"], alias: [{ value: "La Güera", markings: { tlp: "RED", grading: "uk-3x5x2:3/E/C" } }] },
      { markings: { tlp: "GREEN", useRestrictions: "lead-only" } },
    ),
    context,
  );
  assert.ok(result.ok);
  const alias = result.entity.statements.find((s) => s.property === "alias");
  const name = result.entity.statements.find((s) => s.property === "name");
  assert.equal(name?.markings.tlp, "GREEN");
  assert.deepEqual(name?.markings.useRestrictions, ["lead-only"]);
  assert.equal(alias?.markings.tlp, "RED");
  assert.equal(alias?.markings.sourceGrade, "E");
  assert.equal(alias?.markings.infoGrade, "5");
  assert.equal(alias?.markings.handlingCode, "H3");
  assert.equal(alias?.markings.gradingOrigin, "uk-3x5x2:3/E/C");
});

test("explicit date formats read day-first dates and refuse impossible ones", () => {
  const ctx = { ...context, formats: { birthDate: "DD/MM/YYYY" } };
  const result = buildEntity(person({ birthDate: ["03/04/1990"] }), ctx);
  assert.ok(result.ok);
  assert.equal(result.entity.statements[0]?.value, "1990-04-03");
  assert.equal(issuesOf(person({ birthDate: ["31/04/1990"] }), ctx)[0]?.code, "invalid_date");
});

test("statement ids are stable, so importing the same record twice does not duplicate it", () => {
  const first = buildEntity(person({ name: ["Ana"] }), context);
  const second = buildEntity(person({ name: ["Ana"] }), { ...context, recordedAt: "2026-02-01T00:00:00.000Z" });
  assert.ok(first.ok && second.ok);
  assert.equal(first.entity.statements[0]?.id, second.entity.statements[0]?.id);
});

test("a value given twice in one property is one statement, in its first place, as last written", () => {
  const result = buildEntity(person({ name: ["Ana", "Luis", " Ana "], alias: ["Ana"] }), context);
  assert.ok(result.ok);
  assert.deepEqual(
    result.entity.statements.map((s) => [s.property, s.value, s.originalValue]),
    [
      ["name", "Ana", " Ana "],
      ["name", "Luis", null],
      ["alias", "Ana", null],
    ],
  );
});

test("arbitrary input never throws: it is either valid or refused with issues", () => {
  const entityLike = fc.record(
    {
      id: fc.oneof(fc.string(), fc.constant("p-1"), fc.anything()),
      schema: fc.oneof(fc.constantFrom("Person", "Vehicle", "Ownership", "Thing"), fc.anything()),
      properties: fc.oneof(
        fc.dictionary(
          fc.constantFrom("name", "birthDate", "phone", "nationality", "owner", "asset", "x"),
          fc.oneof(fc.anything(), fc.array(fc.oneof(fc.string(), fc.integer(), fc.anything()))),
        ),
        fc.anything(),
      ),
      markings: fc.oneof(
        fc.anything(),
        fc.dictionary(
          fc.constantFrom(
            "tlp",
            "grading",
            "reviewBy",
            "releasableCountries",
            "criminalIntelligence",
            "reasonableSuspicion",
          ),
          fc.oneof(fc.string(), fc.anything()),
        ),
      ),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(fc.oneof(entityLike, fc.anything()), (input) => {
      const result = buildEntity(input as EntityInput, context);
      if (!result.ok) assert.ok(result.issues.length > 0);
      else for (const statement of result.entity.statements) assert.ok(statement.value.length > 0);
    }),
    { numRuns: 2000 },
  );
});

test("tab, line feed and carriage return are kept in text; other control characters, C1 included, are refused", () => {
  const input = { id: "c-1", schema: "Person", properties: { name: ["Ana"], notes: ["line one\r\nline\ttwo"] } };
  const accepted = buildEntity(input, recordContext());
  assert.ok(accepted.ok, JSON.stringify(accepted));
  for (const bad of ["a\u0000b", "a\u001bb", "a\u007fb", "a\u0085b", "a\u009fb"]) {
    const issues = issuesOf(person({ name: [bad] }));
    assert.deepEqual(
      issues.map((issue) => issue.code),
      ["control_characters"],
      JSON.stringify(bad),
    );
  }
});
