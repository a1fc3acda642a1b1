// Tests for the synthetic demo data: deterministic, valid under the model, internally consistent, and with
// cross-border subjects that really appear at several agencies under different spellings.
import assert from "node:assert/strict";
import { test } from "node:test";
import { recordContext } from "../model/test-fixtures.ts";
import type { EntityInput } from "../model/types.ts";
import { buildEntity } from "../model/validate.ts";
import {
  clabeCheckDigit,
  curpCheckDigit,
  isLuhnValid,
  rfcCheckDigit,
  vinCheckDigit,
} from "../normalize/identifiers.ts";
import { DEMO_PROFILES } from "./demo.ts";
import { type AgencyProfile, crossAgencySubjects, generateAgencyDataset } from "./synthetic.ts";

const SEED = 7;
const PERSONS = 600;
const datasets = new Map<string, EntityInput[]>(
  DEMO_PROFILES.map((profile) => [
    profile.nodeId,
    [...generateAgencyDataset({ profile, persons: PERSONS, seed: SEED })],
  ]),
);
const values = (entity: EntityInput | undefined, property: string): string[] => {
  const raw = entity?.properties[property];
  return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) =>
    String(typeof v === "object" ? v.value : v),
  );
};

test("the check-digit algorithms agree with published examples", () => {
  assert.equal(curpCheckDigit("HEGG560427MVZRRL0"), "4", "RENAPO's example CURP HEGG560427MVZRRL04");
  assert.equal(rfcCheckDigit("GODE561231GR"), "8", "SAT's example RFC GODE561231GR8");
  assert.equal(clabeCheckDigit("00201007777777777"), "1", "Banxico's example CLABE 002010077777777771");
  assert.equal(vinCheckDigit("1M8GDM9AXKP042788"), "X", "the classic example VIN 1M8GDM9AXKP042788");
  assert.ok(isLuhnValid("046454286"), "the example SIN 046 454 286");
  assert.ok(!isLuhnValid("046454287"));
});

test("the same seed gives the same data, another seed other data", () => {
  const profile = DEMO_PROFILES[0] as AgencyProfile;
  const again = [...generateAgencyDataset({ profile, persons: PERSONS, seed: SEED })];
  assert.deepEqual(again, datasets.get(profile.nodeId));
  const other = [...generateAgencyDataset({ profile, persons: PERSONS, seed: SEED + 1 })];
  assert.notDeepEqual(other.slice(0, 10), again.slice(0, 10));
});

test("every entity is valid, namespaced by its node, unique, and refers only to entities of its dataset", () => {
  for (const profile of DEMO_PROFILES) {
    const entities = datasets.get(profile.nodeId) ?? [];
    const ids = new Set(entities.map((e) => e.id));
    assert.equal(ids.size, entities.length, "ids are unique");
    assert.equal(entities.filter((e) => e.schema === "Person").length, PERSONS);
    const context = recordContext({
      nodeId: profile.nodeId,
      country: profile.country,
      recordedAt: "2026-07-01T00:00:00.000Z",
    });
    for (const input of entities) {
      assert.ok(input.id.startsWith(`${profile.nodeId}:`), input.id);
      const built = buildEntity(input, context);
      assert.ok(built.ok, `${input.id}: ${JSON.stringify(!built.ok && built.issues)}`);
      for (const statement of built.entity.statements)
        if (
          [
            "owner",
            "holder",
            "involved",
            "subject",
            "person",
            "associate",
            "relative",
            "member",
            "organization",
            "employee",
            "employer",
            "director",
          ].includes(statement.property)
        )
          assert.ok(ids.has(statement.value), `${input.id}.${statement.property} → ${statement.value}`);
    }
  }
});

test("identifiers carry valid check digits", () => {
  const all = [...datasets.values()].flat();
  const curps = all.flatMap((e) => values(e, "curp"));
  const vins = all.flatMap((e) => values(e, "vinCode"));
  const clabes = all.flatMap((e) => values(e, "clabe"));
  const sins = (datasets.get("ca") ?? []).flatMap((e) => values(e, "idNumber")).map((s) => s.replace(/\s/gu, ""));
  assert.ok(curps.length > 100 && vins.length > 100 && clabes.length > 50 && sins.length > 50);
  for (const curp of curps) assert.equal(curpCheckDigit(curp.slice(0, 17)), curp[17], curp);
  for (const vin of vins) {
    assert.doesNotMatch(vin, /[IOQ]/u);
    assert.equal(vinCheckDigit(vin), vin[8], vin);
  }
  for (const clabe of clabes) assert.equal(clabeCheckDigit(clabe.slice(0, 17)), clabe[17], clabe);
  for (const sin of sins) assert.ok(isLuhnValid(sin), sin);
});

test("cross-border subjects appear at the claimed nodes, written differently, with the same birth date", () => {
  const truth = crossAgencySubjects(SEED, DEMO_PROFILES, PERSONS);
  assert.ok(truth.length >= PERSONS * 0.03, `${truth.length} subjects`);
  const byId = new Map([...datasets.values()].flat().map((e) => [e.id, e]));
  let differentlyWritten = 0;
  for (const { ids } of truth) {
    const nodes = Object.keys(ids);
    assert.ok(nodes.length >= 2, "a subject is at two nodes or more");
    const records = nodes.map((node) => byId.get(ids[node] as string));
    for (const record of records) assert.equal(record?.schema, "Person");
    // Equal up to a day/month swap at data entry.
    const birthKey = (record: EntityInput | undefined) => {
      const [year, month, day] = (values(record, "birthDate")[0] ?? "").split("-");
      return `${year}:${[month, day].sort().join("/")}`;
    };
    assert.equal(new Set(records.map(birthKey)).size, 1, JSON.stringify(records.map((r) => values(r, "birthDate"))));
    if (new Set(records.map((r) => values(r, "name")[0])).size > 1) differentlyWritten += 1;
  }
  assert.ok(differentlyWritten / truth.length > 0.8, `${differentlyWritten} of ${truth.length} written differently`);
});
