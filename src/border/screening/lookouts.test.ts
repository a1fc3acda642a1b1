// Tests for lookout subjects: what makes one unusable, named by its field, what of a partner's lookout can be kept
// (never TLP:RED or AMBER+STRICT, whatever the partner sent), and that only the compared fields are kept.
import assert from "node:assert/strict";
import { test } from "node:test";
import { lookoutSubjectProblem, minimalSubject, type PartnerLookout, partnerLookoutProblem } from "./lookouts.ts";

const NOW = Date.parse("2026-06-01T00:00:00Z");

test("a lookout subject that cannot be compared is refused naming its field", () => {
  const problems: Array<[Parameters<typeof lookoutSubjectProblem>[0], string, RegExp]> = [
    [{}, "subject", /a person, or a plate, VIN or USDOT number/u],
    [{ conveyance: { plateJurisdiction: "US-CA" } }, "subject", /a person, or a plate/u],
    [{ person: { name: "Ana", birthDate: "1980-13-01" } }, "subject.person.birthDate", /is not a date/u],
    [{ person: { name: "Ana", aliases: ["Anita", " "] } }, "subject.person.aliases[1]", /is empty/u],
    [
      { person: { name: "Ana", document: { type: "ine", number: "--" } } },
      "subject.person.document.number",
      /no letters/u,
    ],
    [{ conveyance: { usdot: "DOT 12a" } }, "subject.conveyance.usdot", /not a USDOT number/u],
    [{ conveyance: { plate: "··" } }, "subject.conveyance.plate", /no letters or digits/u],
  ];
  for (const [subject, field, message] of problems) {
    const problem = lookoutSubjectProblem(subject);
    assert.equal(problem?.field, field, JSON.stringify(subject));
    assert.match(problem?.message ?? "", message);
  }
  assert.equal(lookoutSubjectProblem({ conveyance: { usdot: "USDOT #0012345" } }), undefined);
});

test("a partner's lookout is kept only if screening can use it and its markings let it travel", () => {
  const lookout: PartnerLookout = {
    id: "3f0c-77",
    subject: { conveyance: { vin: "1HGCM82633A004352" } },
    severity: "medium",
    expiresAt: "2026-07-01T00:00:00Z",
    tlp: "AMBER",
    contact: { name: "Duty desk", email: "desk@us.example" },
  };
  assert.equal(partnerLookoutProblem(lookout, NOW), undefined);
  const problems: Array<[Partial<PartnerLookout> | Record<string, unknown>, RegExp]> = [
    [{ tlp: "RED" }, /TLP:RED does not leave its node/u],
    [{ tlp: "AMBER+STRICT" }, /does not leave/u],
    [{ expiresAt: "2026-05-31T00:00:00Z" }, /expired/u],
    [{ severity: "extreme" }, /severity/u],
    [{ id: "../../etc" }, /id/u],
    [{ contact: {} }, /no contact/u],
    [{ subject: { person: { name: "Ana", document: { type: "passport", number: 7 } } } }, /malformed/u],
  ];
  for (const [change, expected] of problems)
    assert.match(partnerLookoutProblem({ ...lookout, ...change } as PartnerLookout, NOW) ?? "", expected);
});

test("only the fields screening compares are kept of a subject", () => {
  const subject = {
    person: {
      name: "Ana Ruiz",
      birthDate: "1980",
      notes: "informant",
      document: { type: "passport", number: "P1", country: "MX", issued: "2020" },
    },
    conveyance: { plate: "ABC1", colour: "red" },
    reason: "secret",
  };
  assert.deepEqual(minimalSubject(subject as Parameters<typeof minimalSubject>[0]), {
    person: { name: "Ana Ruiz", birthDate: "1980", document: { type: "passport", number: "P1", country: "MX" } },
    conveyance: { plate: "ABC1" },
  });
});
