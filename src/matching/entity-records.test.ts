// Entities as match records: schema properties feed match properties, retracted values are left out, and a
// maternal surname already in lastName is not counted twice.
import assert from "node:assert/strict";
import { test } from "node:test";
import { recordContext } from "../model/test-fixtures.ts";
import { buildEntity } from "../model/validate.ts";
import { matchRecordOf } from "./entity-records.ts";

function entity(schema: string, properties: Record<string, string[]>) {
  const built = buildEntity({ id: "e-1", schema, properties }, recordContext());
  assert.ok(built.ok, JSON.stringify(built));
  return built.entity;
}

test("a person's properties map to match properties; the maternal surname in lastName is kept once", () => {
  const person = entity("Person", {
    firstName: ["Ana María"],
    lastName: ["Moreno Álvarez"],
    motherName: ["Álvarez"],
    curp: ["MOAA920813MCLRLN45"],
    citizenship: ["MX"],
  });
  const record = matchRecordOf(person, "MX");
  assert.deepEqual(record?.values, {
    firstName: ["Ana María"],
    lastName: ["Moreno Álvarez"],
    idNumber: ["MOAA920813MCLRLN45"],
    nationality: ["MX"],
  });
  const separate = matchRecordOf(entity("Person", { lastName: ["Moreno"], motherName: ["Álvarez"] }));
  assert.deepEqual(separate?.values, { lastName: ["Moreno"], secondLastName: ["Álvarez"] });
});

test("retracted statements and schemata the index does not hold give nothing", () => {
  const person = entity("Person", { name: ["Ana Moreno"] });
  const retracted = { ...person, statements: person.statements.map((s) => ({ ...s, retractedAt: "2026-02-01" })) };
  assert.equal(matchRecordOf(retracted), undefined);
  assert.equal(matchRecordOf(entity("Vehicle", { registrationNumber: ["ABC123"] })), undefined);
});
