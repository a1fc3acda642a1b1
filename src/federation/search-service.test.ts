// Answers to partners, checked over random markings and partners (fast-check): nothing recorded ever appears in a
// step-one answer, and a record whose statements are all TLP:RED or not releasable to the partner never even
// yields a hit.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { generateNodeKeyPair } from "../crypto/keys.ts";
import type { MarkingsInput } from "../model/types.ts";
import { createTestNode, type TestNode } from "../node/test-node.ts";
import type { Principal } from "../policy/access.ts";
import type { Member } from "./manifest.ts";
import { signUserAssertion } from "./transport.ts";

let node: TestNode;
const writer: Principal = {
  userId: "w",
  username: "writer",
  roles: ["supervisor"],
  clearance: "RED",
  cfr28Trained: true,
  via: "session",
};
const partnerKeys = generateNodeKeyPair();

before(async () => {
  node = await createTestNode("mx", "MX");
});
after(async () => node.dispose());

const COUNTRIES = ["US", "CA", "GT", "MX"] as const;
const markingsArb: fc.Arbitrary<MarkingsInput> = fc.record({
  tlp: fc.constantFrom("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"),
  releasableCountries: fc.subarray([...COUNTRIES]),
  releasableAgencies: fc.constantFrom([], ["FBI"], ["Partner agency"]),
  // Weighted towards markings that let data leave, so the runs that test the closing ones have open neighbours.
  handlingCode: fc.constantFrom("H0", "H0", "H1", "H2", "H3"),
  useRestrictions: fc.constantFrom([], [], ["lead-only"], ["not-for-court"], ["originator-consent"]),
  criminalIntelligence: fc.boolean(),
  reasonableSuspicion: fc.constant("Seizure report 2026-17"),
});
const partnerArb = fc.record({
  country: fc.constantFrom(...COUNTRIES.filter((c) => c !== "MX")),
  agency: fc.constantFrom("Partner agency", "Other agency"),
  cfr28Trained: fc.boolean(),
});

const OPEN: MarkingsInput = { tlp: "GREEN", handlingCode: "H0", criminalIntelligence: false };
let counter = 0;
/** A different made-up name for every run, letters only (digits fold away in names), so runs never match. */
const uniqueName = (n: number) =>
  Array.from({ length: 4 }, (_, i) => String.fromCharCode(98 + ((Math.floor(n / 20 ** i) * 7 + i * 3) % 20))).join("");

test("property: step-one answers carry no recorded value, and RED or unreleasable records give no hit", async () => {
  await fc.assert(
    fc.asyncProperty(markingsArb, markingsArb, partnerArb, async (nameMarkings, birthMarkings, partner) => {
      counter += 1;
      const given = `Xo${uniqueName(counter)}`;
      const family = `Qu${uniqueName(counter * 13 + 5)}`;
      const pad = (n: number) => String(n).padStart(2, "0");
      const birthDate = `1984-${pad(1 + (counter % 12))}-${pad(1 + (Math.floor(counter / 12) % 28))}`;
      await node.entities.saveEntity(writer, {
        id: `prop-${counter}`,
        schema: "Person",
        properties: {
          name: [{ value: `${given} ${family} Ameyal`, markings: nameMarkings }],
          birthDate: [{ value: birthDate, markings: birthMarkings }],
        },
      });
      const peer: Member = {
        nodeId: "partner",
        agency: partner.agency,
        country: partner.country,
        endpoint: "http://127.0.0.1:1",
        publicKey: partnerKeys.publicKeyPem,
        roles: ["member"],
      };
      const assertion = await signUserAssertion(
        { nodeId: "partner", privateKeyPem: partnerKeys.privateKeyPem, manifestVersion: () => 1 },
        "mx",
        {
          userId: "u",
          username: "u",
          agency: partner.agency,
          country: partner.country,
          roles: ["analyst"],
          cfr28Trained: partner.cfr28Trained,
          purpose: "p",
          caseReference: "c",
          node: "partner",
        },
        new Date(),
      );
      const answer = await node.federatedSearch
        .answer(peer, {
          query: { schema: "Person", properties: { name: [`${given} ${family} Ameyal`], birthDate: [birthDate] } },
          purpose: "p",
          caseReference: "c",
          urgency: "other",
          assertion,
        })
        // One record at a time: each run is judged on its own record only.
        .finally(() => node.entities.deleteEntity(writer, `mx:prop-${counter}`));
      const text = JSON.stringify(answer);
      assert.ok(!text.includes(given) && !text.includes(family) && !text.includes("1984"), "no recorded value");
      const closedTo = (m: MarkingsInput) =>
        m.tlp === "RED" ||
        m.tlp === "AMBER+STRICT" ||
        ((m.releasableCountries?.length ?? 0) > 0 && !m.releasableCountries?.includes(partner.country));
      if (closedTo(nameMarkings) && closedTo(birthMarkings)) assert.deepEqual(answer.hits, []);
      // Only the name can make a hit on its own terms; the birth date alone never identifies anyone.
      if (closedTo(nameMarkings)) assert.ok(answer.hits.every((hit) => hit.band !== "match"));
    }),
    {
      numRuns: 150,
      // Always tried: a closed name with an open birth date, by TLP and by releasability.
      examples: [
        [{ ...OPEN, tlp: "RED" }, OPEN, { country: "US", agency: "Partner agency", cfr28Trained: true }],
        [
          { ...OPEN, releasableCountries: ["MX"] },
          OPEN,
          { country: "US", agency: "Partner agency", cfr28Trained: true },
        ],
        [{ ...OPEN, tlp: "AMBER+STRICT" }, OPEN, { country: "CA", agency: "Other agency", cfr28Trained: true }],
      ],
    },
  );
});
