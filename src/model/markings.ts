// Markings: reads handling, grading and releasability given in any accepted scheme into the one internal form,
// and checks the rules that must hold before a statement is stored (28 CFR Part 23 justification, review date).
import { isCountryCode } from "./countries.ts";
import { addYears, normalizeDate } from "./dates.ts";
import {
  HANDLING_CODES,
  type HandlingCode,
  INFO_GRADES,
  type InfoGrade,
  type Markings,
  type MarkingsInput,
  SOURCE_GRADES,
  type SourceGrade,
  TLP_LEVELS,
  type Tlp,
  USE_RESTRICTIONS,
  type UseRestriction,
  type ValidationIssue,
} from "./types.ts";

/** 28 CFR 23.20(h): criminal intelligence is reviewed, and purged if no longer justified, within five years. */
export const MAX_RETENTION_YEARS = 5;

interface Grading {
  sourceGrade: SourceGrade;
  infoGrade: InfoGrade;
  handlingCode?: HandlingCode;
  tlpFloor?: Tlp;
  useRestriction?: UseRestriction;
}

// UK 3x5x2 (College of Policing APP, 2016): source 1 reliable, 2 untested, 3 not reliable; intelligence A known
// directly, B known indirectly but corroborated, C known indirectly, D not known, E suspected false; handling
// P lawful sharing permitted, C sharing with conditions.
const UK_3X5X2_SOURCE: Record<string, SourceGrade> = { "1": "B", "2": "F", "3": "E" };
const UK_3X5X2_INFO: Record<string, InfoGrade> = { A: "1", B: "2", C: "3", D: "6", E: "5" };
const UK_3X5X2_HANDLING: Record<string, HandlingCode> = { P: "H0", C: "H3" };

// UK 5x5x5 (NIM, before 2016): source A always reliable … D unreliable, E untested; intelligence 1 known to be true,
// 2 known personally to the source, 3 corroborated, 4 cannot be judged, 5 suspected false; handling 1–5.
const UK_5X5X5_SOURCE: Record<string, SourceGrade> = { A: "A", B: "B", C: "C", D: "E", E: "F" };
const UK_5X5X5_INFO: Record<string, InfoGrade> = { "1": "1", "2": "2", "3": "3", "4": "6", "5": "5" };
const UK_5X5X5_HANDLING: Record<string, Omit<Grading, "sourceGrade" | "infoGrade">> = {
  "1": { handlingCode: "H0" },
  "2": { handlingCode: "H0" },
  "3": { handlingCode: "H3" },
  "4": { handlingCode: "H2", tlpFloor: "AMBER+STRICT" },
  "5": { handlingCode: "H2", useRestriction: "originator-consent" },
};

class GradingError extends Error {}

/** Reads "admiralty:B2", "B2", "uk-3x5x2:1/A/P" or "uk-5x5x5:B/2/1" into Admiralty grades and handling. */
export function parseGrading(text: string): Grading {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(":");
  const scheme = colon === -1 ? "admiralty" : trimmed.slice(0, colon).toLowerCase();
  const parts = (colon === -1 ? trimmed : trimmed.slice(colon + 1)).toUpperCase().split(/[/\s,]+|(?<=^[A-Z])(?=\d$)/u);
  const [first = "", second = "", third] = parts;
  const pick = <T>(table: Record<string, T>, key: string, what: string): T => {
    const value = table[key];
    if (value === undefined)
      throw new GradingError(`${scheme} ${what} "${key}" is not one of ${Object.keys(table).join(", ")}`);
    return value;
  };
  switch (scheme) {
    case "admiralty": {
      const sourceGrade = pick(Object.fromEntries(SOURCE_GRADES.map((g) => [g, g])), first, "source grade");
      const infoGrade = pick(Object.fromEntries(INFO_GRADES.map((g) => [g, g])), second, "information grade");
      return { sourceGrade, infoGrade };
    }
    case "uk-3x5x2":
      return {
        sourceGrade: pick(UK_3X5X2_SOURCE, first, "source evaluation"),
        infoGrade: pick(UK_3X5X2_INFO, second, "intelligence assessment"),
        ...(third ? { handlingCode: pick(UK_3X5X2_HANDLING, third, "handling code") } : {}),
      };
    case "uk-5x5x5":
      return {
        sourceGrade: pick(UK_5X5X5_SOURCE, first, "source evaluation"),
        infoGrade: pick(UK_5X5X5_INFO, second, "intelligence evaluation"),
        ...(third ? pick(UK_5X5X5_HANDLING, third, "handling code") : {}),
      };
    default:
      throw new GradingError(`grading scheme "${scheme}" is not admiralty, uk-3x5x2 or uk-5x5x5`);
  }
}

export function tlpRank(tlp: Tlp): number {
  return TLP_LEVELS.indexOf(tlp);
}

function listOf(value: string[] | string | undefined): string[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : value.split(/[;,|]/u);
  return items.map((item) => item.trim()).filter(Boolean);
}

function booleanOf(value: boolean | string | undefined): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  const text = value.trim().toLowerCase();
  if (["true", "yes", "y", "1", "si", "sí", "oui"].includes(text)) return true;
  if (["false", "no", "n", "0", "non", ""].includes(text)) return false;
  return undefined;
}

function oneOf<T extends string>(allowed: readonly T[], value: string): T | undefined {
  return (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

const STRING_FIELDS = ["tlp", "sourceGrade", "infoGrade", "grading", "handlingCode", "legalBasis", "reviewBy"] as const;
const LIST_FIELDS = ["releasableCountries", "releasableAgencies", "useRestrictions"] as const;

/** Merges the layers, dropping (and reporting) fields of the wrong JSON type so nothing below can crash on them. */
function wellTypedLayers(
  layers: Array<MarkingsInput | undefined>,
  problem: (field: string, code: string, message: string) => void,
): MarkingsInput {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (typeof layer !== "object" || layer === null || Array.isArray(layer)) {
      problem("(markings)", "invalid_type", "markings must be an object");
      continue;
    }
    Object.assign(merged, layer);
  }
  const typed: MarkingsInput = {};
  for (const field of STRING_FIELDS) {
    const value = merged[field];
    if (value === undefined) continue;
    if (typeof value === "string") typed[field] = value;
    else problem(field, "invalid_type", "must be a string");
  }
  for (const field of LIST_FIELDS) {
    const value = merged[field];
    if (value === undefined) continue;
    if (typeof value === "string" || (Array.isArray(value) && value.every((item) => typeof item === "string")))
      typed[field] = value;
    else problem(field, "invalid_type", "must be a list of strings");
  }
  const { criminalIntelligence, reasonableSuspicion } = merged;
  if (typeof criminalIntelligence === "boolean" || typeof criminalIntelligence === "string")
    typed.criminalIntelligence = criminalIntelligence;
  else if (criminalIntelligence !== undefined) problem("criminalIntelligence", "invalid_type", "must be true or false");
  if (typeof reasonableSuspicion === "string" || reasonableSuspicion === null)
    typed.reasonableSuspicion = reasonableSuspicion;
  else if (reasonableSuspicion !== undefined) problem("reasonableSuspicion", "invalid_type", "must be a string");
  return typed;
}

/**
 * Merges marking layers (node defaults, then entity-level, then value-level; later wins) and validates the result.
 * `recordedOn` is the ISO date the statement is recorded, from which the five-year review limit runs.
 */
export function resolveMarkings(
  layers: Array<MarkingsInput | undefined>,
  recordedOn: string,
  path: string,
): { markings: Markings; issues: [] } | { markings: undefined; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const problem = (field: string, code: string, message: string) =>
    issues.push({ path: `${path}.${field}`, code, message });
  const input = wellTypedLayers(layers, problem);

  const tlpText = (input.tlp ?? "").trim().toUpperCase().replace(/^TLP:/u, "");
  let tlp = oneOf(TLP_LEVELS, tlpText === "WHITE" ? "CLEAR" : tlpText);
  if (!tlp) problem("tlp", "invalid_tlp", `"${input.tlp ?? ""}" is not a TLP 2.0 level (${TLP_LEVELS.join(", ")})`);

  let sourceGrade = oneOf(SOURCE_GRADES, (input.sourceGrade ?? "").trim().toUpperCase());
  let infoGrade = oneOf(INFO_GRADES, (input.infoGrade ?? "").trim());
  let handlingCode = oneOf(HANDLING_CODES, (input.handlingCode ?? "H0").trim().toUpperCase());
  const useRestrictions = new Set<UseRestriction>();
  let gradingOrigin: string | null = null;
  if (input.grading) {
    try {
      const grading = parseGrading(input.grading);
      ({ sourceGrade, infoGrade } = grading);
      if (grading.handlingCode) handlingCode = grading.handlingCode;
      if (grading.tlpFloor && tlp && tlpRank(tlp) < tlpRank(grading.tlpFloor)) tlp = grading.tlpFloor;
      if (grading.useRestriction) useRestrictions.add(grading.useRestriction);
      gradingOrigin = input.grading.trim();
    } catch (error) {
      if (!(error instanceof GradingError)) throw error;
      problem("grading", "invalid_grading", error.message);
    }
  } else {
    if (!sourceGrade) problem("sourceGrade", "invalid_source_grade", `source grade must be one of A–F`);
    if (!infoGrade) problem("infoGrade", "invalid_info_grade", `information grade must be one of 1–6`);
  }
  if (!handlingCode)
    problem("handlingCode", "invalid_handling_code", `handling code must be one of ${HANDLING_CODES.join(", ")}`);

  const releasableCountries = listOf(input.releasableCountries).map((code) => code.toUpperCase());
  for (const code of releasableCountries)
    if (!isCountryCode(code))
      problem("releasableCountries", "invalid_country", `"${code}" is not an ISO 3166-1 country code`);
  const releasableAgencies = listOf(input.releasableAgencies);
  for (const restriction of listOf(input.useRestrictions)) {
    const known = oneOf(USE_RESTRICTIONS, restriction.toLowerCase());
    if (known) useRestrictions.add(known);
    else
      problem(
        "useRestrictions",
        "invalid_use_restriction",
        `"${restriction}" is not one of ${USE_RESTRICTIONS.join(", ")}`,
      );
  }

  const legalBasis = (input.legalBasis ?? "").trim();
  if (!legalBasis)
    problem("legalBasis", "missing_legal_basis", "every statement needs the legal basis it was collected under");

  const criminalIntelligence = booleanOf(input.criminalIntelligence);
  if (criminalIntelligence === undefined)
    problem("criminalIntelligence", "invalid_boolean", `"${String(input.criminalIntelligence)}" is not true or false`);
  const reasonableSuspicion = input.reasonableSuspicion?.trim() || null;
  if (criminalIntelligence && !reasonableSuspicion)
    problem(
      "reasonableSuspicion",
      "missing_reasonable_suspicion",
      "criminal-intelligence statements need a reasonable-suspicion justification (28 CFR 23.20(a))",
    );

  const latestReview = addYears(recordedOn, MAX_RETENTION_YEARS);
  let reviewBy = latestReview;
  if (input.reviewBy) {
    const parsed = normalizeDate(input.reviewBy);
    if (!parsed.ok || parsed.value.length !== 10)
      problem("reviewBy", "invalid_date", `"${input.reviewBy}" is not a full date (YYYY-MM-DD)`);
    else if (parsed.value > latestReview)
      problem("reviewBy", "review_too_late", `review-by ${parsed.value} is more than five years after ${recordedOn}`);
    else reviewBy = parsed.value;
  }

  if (issues.length > 0 || !tlp || !sourceGrade || !infoGrade || !handlingCode || criminalIntelligence === undefined)
    return { markings: undefined, issues };
  return {
    markings: {
      tlp,
      sourceGrade,
      infoGrade,
      handlingCode,
      releasableCountries,
      releasableAgencies,
      useRestrictions: [...useRestrictions].sort(),
      legalBasis,
      criminalIntelligence,
      reasonableSuspicion,
      reviewBy,
      gradingOrigin,
    },
    issues: [],
  };
}
