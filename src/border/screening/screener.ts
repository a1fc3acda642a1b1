// The decision for one crossing, in memory and in microseconds: lookout hits of its travellers and conveyance, the
// coordinated-arrival detector's finding, the express-lane eligibility of a FAST-lane shipment and the lane's random
// inspection floor, weighed by the rule set into a score, a band and reasons. Reasons name a lookout by its id and
// owner only, never by what it holds.
import { createHash, createHmac } from "node:crypto";
import {
  BANDS,
  type CoordinatedArrivals,
  type Crossing,
  type ExpressEligibility,
  type ScreeningDecision,
  type ScreeningReason,
  TRUSTED_LANES,
} from "../model.ts";
import { type LookoutHit, type LookoutIndex, lookoutKey } from "./lookout-index.ts";
import { bandOf, type ScreeningRules } from "./rules.ts";
import { isProblem, type PreparedCrossing, prepareCrossing } from "./subjects.ts";
import { identityKeys, type SuppressionList } from "./suppressions.ts";

export interface ScreenerOptions {
  index: LookoutIndex;
  rules: ScreeningRules;
  suppressions: SuppressionList;
  /** The secret the random inspection floor is drawn from: whoever lacks it cannot tell which crossings it picks. */
  inspectionSeed: string;
  /** Told every screened crossing in order; its finding becomes a reason. */
  coordinatedArrivals?: CoordinatedArrivals | undefined;
  /** Asked whether a FAST-lane crossing's shipment may use the express lane. */
  expressEligibility?: ExpressEligibility | undefined;
}

/**
 * Whether the lane's random inspection floor picks this crossing: an HMAC of its id under the seed, read as a number
 * in [0, 1), below the rate. The same crossing is always picked the same way; without the seed nobody can say which.
 */
function pickedForInspection(key: Buffer, crossingId: string, rate: number): boolean {
  if (!(rate > 0)) return false;
  return createHmac("sha256", key).update(crossingId).digest().readUIntBE(0, 6) / 2 ** 48 < rate;
}

/** The crossing's subjects prepared, for callers that did not check it first; a RangeError names a bad value. */
function preparedOrThrow(crossing: Crossing): PreparedCrossing {
  const subjects = prepareCrossing(crossing);
  if (isProblem(subjects)) throw new RangeError(`${subjects.field} ${subjects.message}`);
  return subjects;
}

/** The HMAC key of the inspection floor, derived from its seed. */
const inspectionKey = (seed: string) =>
  createHash("sha256").update("puente border inspection floor\u0000").update(seed).digest();

const rank = (band: string) => (BANDS as readonly string[]).indexOf(band);

/** How a hit reads for the officer: which traveller or part of the conveyance, and the lookout by id and owner. */
function hitDetail(hit: LookoutHit, traveller: number | undefined): string {
  const lookout = `lookout ${hit.lookout.id}${hit.lookout.owner ? ` of ${hit.lookout.owner}` : ""}`;
  const who = `traveller ${(traveller ?? 0) + 1}`;
  switch (hit.rule) {
    case "lookout.person.match":
    case "lookout.person.possible":
      return `${who} resembles ${lookout} (${hit.rule === "lookout.person.match" ? "match" : "possible match"}, ${(hit.similarity ?? 0).toFixed(2)})`;
    case "lookout.document":
      return `${who}'s travel document is on ${lookout}`;
    case "lookout.document.country-unknown":
      return `${who}'s travel document number is on ${lookout} (the issuing country is known on one side only)`;
    case "lookout.plate":
      return `the plate is on ${lookout}`;
    case "lookout.plate.jurisdiction-unknown":
      return `the plate is on ${lookout} (its jurisdiction is known on one side only)`;
    case "lookout.plate.lookalike":
      return `the plate differs from one on ${lookout} only in characters plate readers confuse`;
    case "lookout.vin":
      return `the VIN is on ${lookout}`;
    case "lookout.usdot":
      return `the carrier's USDOT number is on ${lookout}`;
  }
}

export class Screener {
  private readonly key: Buffer;

  constructor(private readonly options: ScreenerOptions) {
    this.key = inspectionKey(options.inspectionSeed);
  }

  get rules(): ScreeningRules {
    return this.options.rules;
  }

  /**
   * Screens one crossing at `now` (ms since the epoch: what has expired by then does not count), its subjects
   * prepared by `prepareCrossing` (prepared here when not given; a RangeError names a value that cannot be compared).
   */
  decide(crossing: Crossing, now: number, subjects = preparedOrThrow(crossing)): ScreeningDecision {
    const { index, rules, suppressions } = this.options;
    const trusted = TRUSTED_LANES.includes(crossing.lane);
    // One reason per lookout: its strongest evidence.
    const byLookout = new Map<string, ScreeningReason>();
    const weigh = (hit: LookoutHit, traveller?: number, identities?: readonly string[]) => {
      const key = lookoutKey(hit.lookout.id, hit.lookout.owner);
      const reason: ScreeningReason = {
        rule: hit.lookout.owner ? `partner-${hit.rule}` : hit.rule,
        weight:
          rules.weights[hit.rule] *
          rules.severity[hit.lookout.severity] *
          (hit.lookout.owner ? rules.partnerLookout : 1),
        detail: hitDetail(hit, traveller),
        lookoutId: hit.lookout.id,
        ...(hit.lookout.owner ? { owner: hit.lookout.owner } : {}),
      };
      const suppression = identities && suppressions.find(key, identities);
      if (suppression) {
        reason.rule = "suppressed";
        reason.weight = 0;
        reason.detail += `: a confirmed false match (suppression ${suppression}), not counted`;
      } else if (trusted && hit.rule === "lookout.person.possible" && !rules.trustedLanes.countPossiblePersonMatches) {
        reason.weight = 0;
        reason.detail += ", not counted in a trusted lane";
      }
      const previous = byLookout.get(key);
      if (!previous || reason.weight > previous.weight) byLookout.set(key, reason);
    };
    for (const [position, traveller] of crossing.people.entries()) {
      const hits = index.travellerHits(traveller, now, subjects.people[position]);
      if (hits.length === 0) continue;
      const identities = identityKeys(traveller);
      for (const hit of hits) weigh(hit, position, identities);
    }
    for (const hit of index.conveyanceHits(crossing.conveyance, now, subjects.vehicle)) weigh(hit);
    const reasons = [...byLookout.values()];

    const burst = this.options.coordinatedArrivals?.observe(crossing);
    if (burst)
      reasons.push({
        rule: burst.referThis ? "burst.referred" : "burst.member",
        weight: rules.weights[burst.referThis ? "burst.referred" : "burst.member"],
        detail: `one of ${burst.crossingIds.length} crossings at port ${burst.port} linked by ${burst.links.join(", ")} (burst ${burst.burstId})${burst.referThis ? "; the capacity plan refers this one" : ""}`,
      });
    const express = this.options.expressEligibility;
    if (express && crossing.lane === "fast") {
      const shipmentId = crossing.manifest?.shipmentId;
      const { eligible, reasons: alerts } = shipmentId
        ? express.eligibility(shipmentId)
        : { eligible: false, reasons: [] };
      if (!eligible)
        reasons.push({
          rule: "express.ineligible",
          weight: rules.weights["express.ineligible"],
          detail: shipmentId
            ? `shipment ${shipmentId} may not use the express lane${alerts.length > 0 ? `: ${[...new Set(alerts.map((alert) => alert.kind))].join(", ")}` : ""}`
            : "no shipment id: the express lane needs a monitored shipment",
        });
      if (alerts.some((alert) => alert.kind === "seal-not-on-manifest"))
        reasons.push({
          rule: "express.seal-mismatch",
          weight: rules.weights["express.seal-mismatch"],
          detail: `a seal read on shipment ${shipmentId} is not on its manifest`,
        });
    }

    const rate = rules.inspectionFloor[crossing.lane];
    const randomInspection = pickedForInspection(this.key, crossing.id, rate);
    if (randomInspection)
      reasons.push({
        rule: "random-inspection",
        weight: 0,
        detail: `picked by the random inspection floor of the ${crossing.lane} lane (${+(rate * 100).toFixed(2)} %)`,
      });
    const score = Math.round(reasons.reduce((sum, reason) => sum + reason.weight, 0) * 10) / 10;
    const band = bandOf(rules, score);
    return {
      crossingId: crossing.id,
      band,
      score,
      refer: rank(band) >= rank(rules.referFrom) || randomInspection || burst?.referThis === true,
      randomInspection,
      reasons: reasons.sort((a, b) => b.weight - a.weight),
      rulesVersion: rules.version,
    };
  }
}
