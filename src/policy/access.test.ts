// The release rule every partner answer goes through (step-one views, releases, notices), over random markings
// and partners: nothing TLP:RED or AMBER+STRICT, nothing outside its releasable-to lists, nothing retracted,
// nothing awaiting the originator's consent, and criminal intelligence only for trained users, ever leaves.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { recordContext } from "../model/test-fixtures.ts";
import type { MarkingsInput } from "../model/types.ts";
import { buildEntity } from "../model/validate.ts";
import { type PartnerViewer, releasableEntity } from "./access.ts";

const COUNTRIES = ["US", "MX", "CA", "GT"];
const markings: fc.Arbitrary<MarkingsInput> = fc.record({
  tlp: fc.constantFrom("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"),
  releasableCountries: fc.subarray(COUNTRIES),
  releasableAgencies: fc.constantFrom([], ["RCMP"], ["us"], ["FBI", "RCMP"]),
  handlingCode: fc.constantFrom("H0", "H1", "H2", "H3"),
  useRestrictions: fc.subarray(["lead-only", "not-for-court", "no-onward-dissemination", "originator-consent"]),
  criminalIntelligence: fc.boolean(),
  reasonableSuspicion: fc.constant("Seizure report 17"),
});
const partner: fc.Arbitrary<PartnerViewer> = fc.record({
  nodeId: fc.constantFrom("us", "ca", "gt"),
  agency: fc.constantFrom("RCMP", "FBI", "PNC"),
  country: fc.constantFrom(...COUNTRIES),
  cfr28Trained: fc.boolean(),
});

test("property: a partner gets only statements its markings let leave for it", () => {
  fc.assert(
    fc.property(fc.array(markings, { minLength: 1, maxLength: 6 }), partner, fc.boolean(), (marks, viewer, retract) => {
      const built = buildEntity(
        {
          id: "p-1",
          schema: "Person",
          properties: { alias: marks.map((m, i) => ({ value: `Alias ${i}`, markings: m })) },
        },
        recordContext(),
      );
      assert.ok(built.ok);
      const entity = retract
        ? {
            ...built.entity,
            statements: built.entity.statements.map((s, i) => (i === 0 ? { ...s, retractedAt: "2026-02-01" } : s)),
          }
        : built.entity;
      for (const s of releasableEntity(viewer, entity)?.statements ?? []) {
        const m = s.markings;
        assert.ok(m.tlp !== "RED" && m.tlp !== "AMBER+STRICT", m.tlp);
        assert.ok(m.releasableCountries.length === 0 || m.releasableCountries.includes(viewer.country));
        assert.ok(
          m.releasableAgencies.length === 0 ||
            m.releasableAgencies.some((a) => a === viewer.agency || a === viewer.nodeId),
        );
        assert.ok(m.handlingCode !== "H2" && !m.useRestrictions.includes("originator-consent"));
        assert.ok(!m.criminalIntelligence || viewer.cfr28Trained);
        assert.equal(s.retractedAt, null);
      }
    }),
    { numRuns: 500 },
  );
});
