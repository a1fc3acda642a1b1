// Tests for the lookout index: persons through the matching engine under spelling variants, plates within their
// jurisdiction whatever the separators and case (and as look-alikes when a reader misread them), VINs, USDOT numbers and travel documents by exact key, expiry and
// removal.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Conveyance, Traveller } from "../model.ts";
import { LookoutIndex } from "./lookout-index.ts";

const NOW = Date.parse("2026-06-01T12:00:00.000Z");
const LATER = "2026-12-31T00:00:00.000Z";
const rules = (hits: Array<{ lookout: { id: string }; rule: string }>) =>
  hits.map((hit) => `${hit.lookout.id} ${hit.rule}`).sort();
const car = (values: Partial<Conveyance>): Conveyance => ({ kind: "vehicle", ...values });

test("a person on a lookout is found under another spelling and order of their name, a namesake is not", () => {
  const index = new LookoutIndex();
  index.add("LO-1", undefined, "high", LATER, {
    person: { name: "José Luis Hernández García", birthDate: "1980-03-05", nationality: "MX" },
  });
  index.add("LO-2", "mx", "medium", LATER, { person: { name: "María Fernanda López Ruiz", birthDate: "1991-11-20" } });
  const traveller: Traveller = { name: "HERNANDEZ GARCIA, JOSE LUIS", birthDate: "1980-03-05", nationality: "MX" };
  const [hit, ...rest] = index.travellerHits(traveller, NOW);
  assert.equal(rest.length, 0);
  assert.equal(hit?.lookout.id, "LO-1");
  assert.equal(hit.lookout.owner, undefined);
  assert.equal(hit.rule, "lookout.person.match");
  assert.ok((hit.similarity ?? 0) >= 0.85);
  // Sound-alike spelling (s/z, h dropped) and a dropped maternal surname, day and month swapped: still possible.
  const variant = index.travellerHits({ name: "Jose Luiz Ernandez", birthDate: "1980-05-03" }, NOW);
  assert.deepEqual(
    variant.map((found) => found.lookout.id),
    ["LO-1"],
  );
  assert.deepEqual(index.travellerHits({ name: "José Luis Hernández García", birthDate: "1962-08-14" }, NOW), []);
  const partner = index.travellerHits({ name: "Maria F. Lopez", birthDate: "1991-11-20" }, NOW);
  assert.deepEqual(
    partner.map((found) => [found.lookout.id, found.lookout.owner]),
    [["LO-2", "mx"]],
  );
});

test("a plate hits whatever its separators and case, within its jurisdiction, possibly when one side lacks it", () => {
  const index = new LookoutIndex();
  index.add("LO-P", undefined, "high", LATER, { conveyance: { plate: "ABC-1234", plateJurisdiction: "US-CA" } });
  index.add("LO-Q", undefined, "low", LATER, { conveyance: { plate: "XYZ 987" } });
  assert.deepEqual(rules(index.conveyanceHits(car({ plate: "abc 1234", plateJurisdiction: "us-ca" }), NOW)), [
    "LO-P lookout.plate",
  ]);
  assert.deepEqual(rules(index.conveyanceHits(car({ plate: "A.B.C.1.2.3.4" }), NOW)), [
    "LO-P lookout.plate.jurisdiction-unknown",
  ]);
  assert.deepEqual(index.conveyanceHits(car({ plate: "ABC1234", plateJurisdiction: "MX-BCN" }), NOW), []);
  assert.deepEqual(rules(index.conveyanceHits(car({ plate: "xyz-987", plateJurisdiction: "US-TX" }), NOW)), [
    "LO-Q lookout.plate.jurisdiction-unknown",
  ]);
  assert.deepEqual(index.conveyanceHits(car({ plate: "ABC1235", plateJurisdiction: "US-CA" }), NOW), []);
  // Misread by a plate reader: 8 for B, O for 0.
  assert.deepEqual(rules(index.conveyanceHits(car({ plate: "A8C-1234", plateJurisdiction: "US-CA" }), NOW)), [
    "LO-P lookout.plate.lookalike",
  ]);
  assert.deepEqual(rules(index.conveyanceHits(car({ plate: "XY2 987" }), NOW)), ["LO-Q lookout.plate.lookalike"]);
  assert.deepEqual(index.conveyanceHits(car({ plate: "A8C1234", plateJurisdiction: "US-AZ" }), NOW), []);
});

test("VINs, USDOT numbers and travel documents hit by exact key", () => {
  const index = new LookoutIndex();
  index.add("LO-V", undefined, "medium", LATER, { conveyance: { vin: "1HGCM82633A004352" } });
  index.add("LO-D", undefined, "medium", LATER, { conveyance: { usdot: "USDOT 0123456" } });
  index.add("LO-T", "ca", "high", LATER, {
    person: { name: "Ana Ruiz", document: { type: "passport", number: "G1234-5678", country: "MX" } },
  });
  index.add("LO-U", undefined, "low", LATER, {
    person: { name: "Luis Ortega", document: { type: "ine", number: "X77" } },
  });
  assert.deepEqual(rules(index.conveyanceHits(car({ vin: "1hgcm82633a004352" }), NOW)), ["LO-V lookout.vin"]);
  assert.deepEqual(rules(index.conveyanceHits({ kind: "truck", usdot: "123456" }, NOW)), ["LO-D lookout.usdot"]);
  assert.deepEqual(index.conveyanceHits({ kind: "truck", usdot: "1234567" }, NOW), []);
  // The document of someone else under another name: the document itself is on the lookout.
  const stranger = (document: Traveller["document"]): Traveller => ({ name: "Pedro Soto", document });
  assert.deepEqual(
    rules(index.travellerHits(stranger({ type: "passport", number: "g12345678", country: "mx" }), NOW)),
    ["LO-T lookout.document"],
  );
  assert.deepEqual(rules(index.travellerHits(stranger({ type: "passport", number: "G12345678" }), NOW)), [
    "LO-T lookout.document.country-unknown",
  ]);
  assert.deepEqual(index.travellerHits(stranger({ type: "passport", number: "G12345678", country: "GT" }), NOW), []);
  assert.deepEqual(rules(index.travellerHits(stranger({ type: "ine", number: "x-77", country: "MX" }), NOW)), [
    "LO-U lookout.document.country-unknown",
  ]);
});

test("expired lookouts are not answered; removal and replacement take a lookout out of every way it is found", () => {
  const index = new LookoutIndex();
  index.add("LO-1", undefined, "high", "2026-06-01T11:59:59.000Z", {
    conveyance: { plate: "ABC123", vin: "1HGCM82633A004352" },
  });
  index.add("LO-2", undefined, "high", LATER, {
    person: { name: "Ana Ruiz", birthDate: "1985-01-02", document: { type: "passport", number: "P123456" } },
    conveyance: { usdot: "77" },
  });
  assert.deepEqual(index.conveyanceHits(car({ plate: "ABC123" }), NOW), []);
  assert.deepEqual(
    index.expired(NOW).map((lookout) => lookout.id),
    ["LO-1"],
  );
  assert.equal(index.size, 2);
  assert.equal(index.remove("LO-2", undefined), true);
  assert.equal(index.remove("LO-2", undefined), false);
  assert.deepEqual(index.travellerHits({ name: "Ana Ruiz", birthDate: "1985-01-02" }, NOW), []);
  assert.deepEqual(index.travellerHits({ name: "X", document: { type: "passport", number: "P123456" } }, NOW), []);
  assert.deepEqual(index.conveyanceHits({ kind: "truck", usdot: "77" }, NOW), []);
  index.add("LO-1", undefined, "high", LATER, { conveyance: { plate: "ZZZ999" } });
  assert.equal(index.size, 1);
  assert.deepEqual(index.conveyanceHits(car({ plate: "ABC123", vin: "1HGCM82633A004352" }), NOW), []);
  assert.deepEqual(rules(index.conveyanceHits(car({ plate: "zzz-999" }), NOW)), [
    "LO-1 lookout.plate.jurisdiction-unknown",
  ]);
  assert.throws(() => index.add("LO-3", undefined, "low", LATER, { conveyance: { plate: "--" } }), RangeError);
});
