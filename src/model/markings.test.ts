// Tests for reading gradings from the Admiralty, UK 3x5x2 and UK 5x5x5 schemes into one vocabulary.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseGrading, resolveMarkings } from "./markings.ts";

test("Admiralty gradings are read in their compact and scheme-prefixed forms", () => {
  assert.deepEqual(parseGrading("B2"), { sourceGrade: "B", infoGrade: "2" });
  assert.deepEqual(parseGrading("admiralty:F/6"), { sourceGrade: "F", infoGrade: "6" });
  assert.throws(() => parseGrading("G1"), /source grade "G"/u);
});

test("UK 3x5x2 and 5x5x5 gradings translate into Admiralty grades and handling", () => {
  assert.deepEqual(parseGrading("uk-3x5x2:1/A/P"), { sourceGrade: "B", infoGrade: "1", handlingCode: "H0" });
  assert.deepEqual(parseGrading("uk-3x5x2:2/D"), { sourceGrade: "F", infoGrade: "6" });
  assert.deepEqual(parseGrading("uk-5x5x5:D/4/4"), {
    sourceGrade: "E",
    infoGrade: "6",
    handlingCode: "H2",
    tlpFloor: "AMBER+STRICT",
  });
  assert.throws(() => parseGrading("uk-3x5x2:4/A"), /source evaluation "4"/u);
  assert.throws(() => parseGrading("nato:A1"), /scheme "nato"/u);
});

test("a 5x5x5 handling code of 4 raises a lower TLP to AMBER+STRICT but never lowers a higher one", () => {
  const base = { sourceGrade: "A", infoGrade: "1", legalBasis: "x", criminalIntelligence: false };
  const raised = resolveMarkings([{ ...base, tlp: "GREEN", grading: "uk-5x5x5:A/1/4" }], "2026-01-01", "m");
  assert.equal(raised.markings?.tlp, "AMBER+STRICT");
  const kept = resolveMarkings([{ ...base, tlp: "RED", grading: "uk-5x5x5:A/1/4" }], "2026-01-01", "m");
  assert.equal(kept.markings?.tlp, "RED");
});

test("missing legal basis and unknown releasability are reported field by field", () => {
  const result = resolveMarkings(
    [{ tlp: "TLP:AMBER", sourceGrade: "B", infoGrade: "2", releasableCountries: "US;XX", criminalIntelligence: false }],
    "2026-01-01",
    "markings",
  );
  assert.deepEqual(
    result.issues.map((issue) => [issue.path, issue.code]),
    [
      ["markings.releasableCountries", "invalid_country"],
      ["markings.legalBasis", "missing_legal_basis"],
    ],
  );
});
