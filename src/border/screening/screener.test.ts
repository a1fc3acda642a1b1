// Tests for the decision on one crossing: weights, severity and bands from the rule set, reasons that name a lookout
// by id and owner only, lighter checks in trusted lanes with their seeded random inspection floor, the coordinated-
// arrival and express-lane collaborators (simple fakes of their answers), suppressions, and rule-set validation.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../../node/config.ts";
import type { BurstFinding, Crossing, ExpressEligibility, Lane, SealAlert } from "../model.ts";
import { LookoutIndex, lookoutKey } from "./lookout-index.ts";
import { DEFAULT_RULES, validateRules } from "./rules.ts";
import { Screener, type ScreenerOptions } from "./screener.ts";
import { identityKey, SuppressionList } from "./suppressions.ts";

const NOW = Date.parse("2026-06-01T12:00:00.000Z");
const LATER = "2026-12-31T00:00:00.000Z";

function lookouts(): LookoutIndex {
  const index = new LookoutIndex();
  index.add("LO-HIGH", undefined, "high", LATER, {
    person: { name: "José Luis Hernández García", birthDate: "1980-03-05", nationality: "MX" },
  });
  index.add("LO-CAR", undefined, "low", LATER, { conveyance: { plate: "ABC-1234", plateJurisdiction: "US-CA" } });
  index.add("LO-MX", "mx", "medium", LATER, { person: { name: "Ramón Ortega Vidal", birthDate: "1975-07-21" } });
  return index;
}

function screener(options: Partial<ScreenerOptions> = {}): Screener {
  return new Screener({
    index: lookouts(),
    rules: DEFAULT_RULES,
    suppressions: new SuppressionList(),
    inspectionSeed: "test seed",
    ...options,
  });
}

let serial = 0;
function crossing(values: Partial<Crossing> = {}): Crossing {
  return {
    id: `X-${++serial}`,
    port: "2504",
    lane: "general",
    time: "2026-06-01T12:00:00.000Z",
    conveyance: { kind: "vehicle", plate: "7ZZZ999", plateJurisdiction: "US-CA" },
    people: [{ name: "Ana Torres", birthDate: "1990-01-01", nationality: "US" }],
    ...values,
  };
}

test("a traveller resembling a high-severity lookout under a spelling variant is referred, the reason naming only the id", () => {
  const decision = screener().decide(
    crossing({
      people: [
        { name: "Ana Torres", birthDate: "1990-01-01" },
        { name: "HERNANDEZ GARCIA, JOSE LUIS", birthDate: "1980-03-05", nationality: "MX" },
      ],
    }),
    NOW,
  );
  assert.equal(decision.band, "high");
  assert.equal(decision.refer, true);
  assert.equal(decision.randomInspection, false);
  assert.equal(decision.rulesVersion, DEFAULT_RULES.version);
  const [reason, ...others] = decision.reasons;
  assert.equal(others.length, 0);
  assert.deepEqual(
    { rule: reason?.rule, weight: reason?.weight, lookoutId: reason?.lookoutId },
    {
      rule: "lookout.person.match",
      weight: 50 * 1.5,
      lookoutId: "LO-HIGH",
    },
  );
  assert.match(reason?.detail ?? "", /^traveller 2 resembles lookout LO-HIGH \(match, [01]\.\d\d\)$/u);
  assert.equal(decision.score, 75);
});

test("severity and bands come from the rule set; a partner's lookout is named with its owner", () => {
  const plate = screener().decide(
    crossing({ conveyance: { kind: "vehicle", plate: "abc 1234", plateJurisdiction: "us-ca" } }),
    NOW,
  );
  assert.deepEqual(
    [plate.band, plate.refer, plate.score, plate.reasons[0]?.rule],
    ["medium", false, 25, "lookout.plate"],
    "a low-severity lookout halves the plate's 50",
  );
  const partner = screener().decide(crossing({ people: [{ name: "Ramon Ortega", birthDate: "1975-07-21" }] }), NOW);
  const [reason] = partner.reasons;
  assert.equal(reason?.rule, "partner-lookout.person.match");
  assert.equal(reason.owner, "mx");
  assert.match(reason.detail, /lookout LO-MX of mx/u);
  assert.equal(partner.refer, true);
  const clean = screener().decide(crossing(), NOW);
  assert.deepEqual([clean.band, clean.score, clean.refer, clean.reasons], ["low", 0, false, []]);
  // A rule set that refers from medium refers the plate too.
  const strict = screener({ rules: { ...DEFAULT_RULES, referFrom: "medium" } }).decide(
    crossing({ conveyance: { kind: "vehicle", plate: "ABC1234", plateJurisdiction: "US-CA" } }),
    NOW,
  );
  assert.equal(strict.refer, true);
});

test("in a trusted lane a possible resemblance is listed but not counted; elsewhere it counts", () => {
  const possible = { name: "Jose Luiz Ernandez", birthDate: "1980-05-03" };
  const general = screener().decide(crossing({ people: [possible] }), NOW);
  assert.equal(general.reasons[0]?.rule, "lookout.person.possible");
  assert.equal(general.reasons[0]?.weight, 35 * 1.5);
  assert.equal(general.refer, true);
  const trusted = screener({
    rules: { ...DEFAULT_RULES, inspectionFloor: { ...DEFAULT_RULES.inspectionFloor, "sentri-nexus": 0 } },
  }).decide(crossing({ lane: "sentri-nexus", people: [possible] }), NOW);
  assert.equal(trusted.reasons[0]?.weight, 0);
  assert.match(trusted.reasons[0]?.detail ?? "", /not counted in a trusted lane/u);
  assert.deepEqual([trusted.band, trusted.refer], ["low", false]);
  // A sure resemblance counts in every lane.
  const sure = screener().decide(
    crossing({ lane: "sentri-nexus", people: [{ name: "Jose Luis Hernandez Garcia", birthDate: "1980-03-05" }] }),
    NOW,
  );
  assert.equal(sure.refer, true);
});

test("the random inspection floor picks about its rate of trusted-lane crossings, the same ones every time for a seed", () => {
  const seeded = screener();
  const picked = (lane: Lane, chosen = seeded) => {
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const decision = chosen.decide(crossing({ id: `RFID-${i}`, lane }), NOW);
      if (decision.randomInspection) {
        assert.equal(decision.refer, true);
        assert.equal(decision.reasons.at(-1)?.rule, "random-inspection");
        ids.push(decision.crossingId);
      } else assert.equal(decision.refer, false);
    }
    return ids;
  };
  const sentri = picked("sentri-nexus");
  assert.ok(sentri.length > 150 && sentri.length < 250, `${sentri.length} of 10,000 picked at a 2 % floor`);
  assert.deepEqual(picked("sentri-nexus"), sentri, "a crossing is always picked the same way");
  assert.deepEqual(picked("sentri-nexus", screener()), sentri, "by another screener with the same seed too");
  const other = picked("sentri-nexus", screener({ inspectionSeed: "another node's secret" }));
  assert.ok(other.filter((id) => sentri.includes(id)).length < sentri.length / 4, "another seed picks others");
  assert.deepEqual(picked("general"), [], "no floor in the general lane by default");
  const fast = picked("fast");
  assert.ok(fast.length > 150 && fast.length < 250);
});

test("the coordinated-arrival detector sees every crossing in order, and its finding is a reason", () => {
  const seen: string[] = [];
  const finding = (referThis: boolean): BurstFinding => ({
    burstId: "B-7",
    port: "2504",
    crossingIds: ["X-a", "X-b", "X-c"],
    links: ["registrant", "insurer"],
    referThis,
  });
  const detector = {
    observe: (observed: Crossing) => {
      seen.push(observed.id);
      return observed.id === "X-b" ? finding(false) : observed.id === "X-c" ? finding(true) : undefined;
    },
  };
  const chosen = screener({ coordinatedArrivals: detector });
  const [a, b, c] = ["X-a", "X-b", "X-c"].map((id) => chosen.decide(crossing({ id }), NOW));
  assert.deepEqual(seen, ["X-a", "X-b", "X-c"]);
  assert.deepEqual(a?.reasons, []);
  assert.deepEqual([b?.reasons[0]?.rule, b?.reasons[0]?.weight, b?.refer], ["burst.member", 15, false]);
  assert.match(
    b?.reasons[0]?.detail ?? "",
    /one of 3 crossings at port 2504 linked by registrant, insurer \(burst B-7\)/u,
  );
  assert.deepEqual([c?.reasons[0]?.rule, c?.band, c?.refer], ["burst.referred", "high", true]);
});

test("a FAST-lane shipment that may not use the express lane is a reason, a seal off the manifest another", () => {
  const asked: string[] = [];
  const alert = (kind: SealAlert["kind"]): SealAlert => ({
    shipmentId: "S-1",
    kind,
    time: "2026-06-01T10:00:00Z",
    detail: "",
  });
  const seals: ExpressEligibility = {
    eligibility: (shipmentId) => {
      asked.push(shipmentId);
      return shipmentId === "S-OK"
        ? { eligible: true, reasons: [] }
        : {
            eligible: false,
            reasons: [alert("route-deviation"), alert("seal-not-on-manifest"), alert("route-deviation")],
          };
    },
  };
  const chosen = screener({
    expressEligibility: seals,
    rules: { ...DEFAULT_RULES, inspectionFloor: { ...DEFAULT_RULES.inspectionFloor, fast: 0 } },
  });
  const truck = (shipmentId?: string) =>
    crossing({
      lane: "fast",
      conveyance: { kind: "truck", usdot: "1234567" },
      ...(shipmentId ? { manifest: { shipmentId } } : {}),
    });
  const bad = chosen.decide(truck("S-1"), NOW);
  assert.deepEqual(
    bad.reasons.map((reason) => [reason.rule, reason.weight]),
    [
      ["express.seal-mismatch", 60],
      ["express.ineligible", 50],
    ],
  );
  assert.match(
    bad.reasons[1]?.detail ?? "",
    /shipment S-1 may not use the express lane: route-deviation, seal-not-on-manifest$/u,
  );
  assert.equal(bad.refer, true);
  assert.deepEqual(chosen.decide(truck("S-OK"), NOW).reasons, []);
  assert.match(chosen.decide(truck(), NOW).reasons[0]?.detail ?? "", /no shipment id/u);
  chosen.decide(crossing({ lane: "general", manifest: { shipmentId: "S-1" } }), NOW);
  assert.deepEqual(asked, ["S-1", "S-OK"], "only FAST-lane shipments are asked about");
});

test("a confirmed false match is listed as suppressed, with weight 0, for the traveller it was confirmed for", () => {
  const suppressions = new SuppressionList();
  const chosen = screener({ suppressions });
  const traveller = {
    name: "José Luis Hernández García",
    birthDate: "1980-03-05",
    document: { type: "passport", number: "N-1111", country: "US" },
  };
  suppressions.add(lookoutKey("LO-HIGH", undefined), identityKey(traveller) as string, "S-1");
  const decision = chosen.decide(crossing({ people: [traveller] }), NOW);
  assert.deepEqual(
    decision.reasons.map((reason) => [reason.rule, reason.weight, reason.lookoutId]),
    [["suppressed", 0, "LO-HIGH"]],
  );
  assert.match(decision.reasons[0]?.detail ?? "", /a confirmed false match \(suppression S-1\), not counted/u);
  assert.deepEqual([decision.band, decision.refer], ["low", false]);
  // Suppressed by name and birth date, the traveller is also suppressed when showing a document.
  suppressions.remove(lookoutKey("LO-HIGH", undefined), identityKey(traveller) as string);
  assert.equal(chosen.decide(crossing({ people: [traveller] }), NOW).refer, true);
  suppressions.add(
    lookoutKey("LO-HIGH", undefined),
    identityKey({ name: traveller.name, birthDate: traveller.birthDate }) as string,
    "S-2",
  );
  assert.equal(chosen.decide(crossing({ people: [traveller] }), NOW).reasons[0]?.rule, "suppressed");
  // Another traveller resembling the same lookout is not suppressed.
  assert.equal(
    chosen.decide(crossing({ people: [{ name: "Jose Luis Hernandez", birthDate: "1980-03-05" }] }), NOW).refer,
    true,
  );
});

test("a rule set is checked field by field", () => {
  const problems: Array<[unknown, RegExp]> = [
    [{ ...DEFAULT_RULES, version: "" }, /version: a non-empty string/u],
    [{ ...DEFAULT_RULES, bands: { medium: 60, high: 50 } }, /bands: 0 < medium < high/u],
    [{ ...DEFAULT_RULES, referFrom: "urgent" }, /referFrom: one of low, medium, high/u],
    [
      { ...DEFAULT_RULES, weights: { ...DEFAULT_RULES.weights, "lookout.vin": -1 } },
      /weights\.lookout\.vin: a number from 0/u,
    ],
    [
      { ...DEFAULT_RULES, weights: { ...DEFAULT_RULES.weights, "lookout.boat": 1 } },
      /weights\.lookout\.boat: is not one of/u,
    ],
    [
      { ...DEFAULT_RULES, inspectionFloor: { ...DEFAULT_RULES.inspectionFloor, fast: 2 } },
      /inspectionFloor\.fast: a number from 0 to 1/u,
    ],
    [{ ...DEFAULT_RULES, severity: { low: 1, medium: 1 } }, /severity\.high: a number/u],
    [{ ...DEFAULT_RULES, extra: true }, /extra: is not a field of a rule set/u],
  ];
  for (const [rules, expected] of problems)
    assert.throws(
      () => validateRules(rules, "border-rules.json"),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^border-rules\.json: /u);
        assert.match(error.message, expected);
        return true;
      },
    );
  assert.deepEqual(validateRules(JSON.parse(JSON.stringify(DEFAULT_RULES)), "copy"), DEFAULT_RULES);
});
