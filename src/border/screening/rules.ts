// Screening rules as data: a versioned set of weights, severity multipliers, band thresholds and each lane's random
// inspection floor (defaults in default-rules.json). A node may replace them with border-rules.json in its data
// directory, checked when the node opens like puente.json. Every decision names the version that made it.
//
// How a crossing scores: every lookout it hits adds the weight of its strongest evidence (a traveller in the match or
// possible band, a travel document, plate, VIN or USDOT number; the "…-unknown" weights when the document's issuing
// country or the plate's jurisdiction is known on one side only; "lookout.plate.lookalike" for a plate that differs
// only in characters plate readers confuse) times the lookout's severity multiplier, times
// `partnerLookout` for partners' lookouts. A coordinated burst adds "burst.member", or "burst.referred" when the
// capacity plan refers this crossing; a FAST-lane crossing whose shipment may not use the express lane adds
// "express.ineligible", and "express.seal-mismatch" when a seal read is not on its manifest. The sum is high from
// `bands.high`, medium from `bands.medium`; crossings in `referFrom` or above are referred to secondary inspection.
//
// Trusted lanes (SENTRI/NEXUS, FAST) are lighter: unless `trustedLanes.countPossiblePersonMatches`, a traveller who
// only possibly resembles a lookout (the engine's "possible" band) is listed with weight 0, since the programme's
// vetting compared them in full; exact identifiers, match-band resemblances, bursts and seals count as in any lane.
// In exchange each lane's `inspectionFloor` (2 % in the trusted lanes by default) picks crossings at random.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../node/config.ts";
import { BANDS, LANES, type Lane, type ScreeningBand } from "../model.ts";
import { SEVERITIES, type Severity } from "./lookouts.ts";

export const RULE_IDS = [
  "lookout.person.match",
  "lookout.person.possible",
  "lookout.document",
  "lookout.document.country-unknown",
  "lookout.plate",
  "lookout.plate.jurisdiction-unknown",
  "lookout.plate.lookalike",
  "lookout.vin",
  "lookout.usdot",
  "burst.member",
  "burst.referred",
  "express.ineligible",
  "express.seal-mismatch",
] as const;
export type RuleId = (typeof RULE_IDS)[number];
export type LookoutRuleId = Extract<RuleId, `lookout.${string}`>;

export interface ScreeningRules {
  version: string;
  bands: { medium: number; high: number };
  /** The lowest band referred to secondary inspection. */
  referFrom: ScreeningBand;
  weights: Record<RuleId, number>;
  severity: Record<Severity, number>;
  /** Multiplies the weight of a partner's lookout (whose severity is its owner's). */
  partnerLookout: number;
  trustedLanes: { countPossiblePersonMatches: boolean };
  /** The share of each lane's crossings picked at random for inspection, from 0 to 1. */
  inspectionFloor: Record<Lane, number>;
}

/** A node's own rules, in its data directory. */
export const RULES_FILE = "border-rules.json";

const MAX_WEIGHT = 1000;
const RULES_FIELDS = [
  "version",
  "bands",
  "referFrom",
  "weights",
  "severity",
  "partnerLookout",
  "trustedLanes",
  "inspectionFloor",
];

/** Checks a rule set field by field and names the first wrong one with where it came from. */
export function validateRules(value: unknown, source: string): ScreeningRules {
  const fail = (field: string, message: string): never => {
    throw new ConfigError(`${source}: ${field}: ${message}`);
  };
  const object = (raw: unknown, field: string): Record<string, unknown> =>
    typeof raw === "object" && raw !== null && !Array.isArray(raw)
      ? (raw as Record<string, unknown>)
      : fail(field, "must be an object");
  const numbers = <K extends string>(raw: unknown, field: string, keys: readonly K[], max: number) => {
    const given = object(raw, field);
    for (const key of Object.keys(given))
      if (!keys.includes(key as K)) fail(`${field}.${key}`, `is not one of ${keys.join(", ")}`);
    const out = {} as Record<K, number>;
    for (const key of keys) {
      const number = given[key];
      if (typeof number !== "number" || !Number.isFinite(number) || number < 0 || number > max)
        fail(`${field}.${key}`, `a number from 0 to ${max}`);
      out[key] = number as number;
    }
    return out;
  };
  const rules = object(value, "(file)");
  for (const key of Object.keys(rules)) if (!RULES_FIELDS.includes(key)) fail(key, "is not a field of a rule set");
  if (typeof rules.version !== "string" || !rules.version.trim()) fail("version", "a non-empty string");
  const bands = numbers(rules.bands, "bands", ["medium", "high"], MAX_WEIGHT);
  if (!(bands.medium > 0 && bands.medium < bands.high)) fail("bands", "0 < medium < high");
  if (!(BANDS as readonly unknown[]).includes(rules.referFrom)) fail("referFrom", `one of ${BANDS.join(", ")}`);
  const partnerLookout = rules.partnerLookout;
  if (typeof partnerLookout !== "number" || !(partnerLookout >= 0 && partnerLookout <= 10))
    fail("partnerLookout", "a number from 0 to 10");
  const trusted = object(rules.trustedLanes, "trustedLanes");
  if (typeof trusted.countPossiblePersonMatches !== "boolean")
    fail("trustedLanes.countPossiblePersonMatches", "true or false");
  return {
    version: (rules.version as string).trim(),
    bands,
    referFrom: rules.referFrom as ScreeningBand,
    weights: numbers(rules.weights, "weights", RULE_IDS, MAX_WEIGHT),
    severity: numbers(rules.severity, "severity", SEVERITIES, 10),
    partnerLookout: partnerLookout as number,
    trustedLanes: { countPossiblePersonMatches: trusted.countPossiblePersonMatches as boolean },
    inspectionFloor: numbers(rules.inspectionFloor, "inspectionFloor", LANES, 1),
  };
}

const DEFAULT_FILE = new URL("./default-rules.json", import.meta.url);
export const DEFAULT_RULES: ScreeningRules = validateRules(
  JSON.parse(readFileSync(DEFAULT_FILE, "utf8")),
  "default-rules.json",
);

/** The node's rules: border-rules.json in its data directory when there is one, else the defaults. */
export function loadRules(dir: string): ScreeningRules {
  const path = join(dir, RULES_FILE);
  if (!existsSync(path)) return DEFAULT_RULES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`${path}: not readable JSON: ${(error as Error).message}`);
  }
  return validateRules(parsed, path);
}

/** The band of a score under these rules. */
export function bandOf(rules: ScreeningRules, score: number): ScreeningBand {
  return score >= rules.bands.high ? "high" : score >= rules.bands.medium ? "medium" : "low";
}
