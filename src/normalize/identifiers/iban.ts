// Normaliser for International Bank Account Numbers (ISO 13616): per-country length and the ISO 7064
// MOD 97-10 check.
import { ibanMod97 } from "./check-digits.ts";
import { compact, type IdentifierResult, result } from "./common.ts";

/**
 * IBAN lengths from the SWIFT IBAN registry (ISO 13616) for the countries listed there that we are sure of.
 * Countries not listed are checked only for the 15–34 length range ISO 13616 allows, and for MOD 97.
 */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

/** Why an already compacted IBAN is invalid, or undefined when it is valid. */
function ibanProblem(value: string): string | undefined {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/u.test(value))
    return "an IBAN is a country code, two check digits and letters and digits";
  const expected = IBAN_LENGTHS[value.slice(0, 2)];
  if (expected !== undefined && value.length !== expected)
    return `an IBAN from ${value.slice(0, 2)} has ${expected} characters, this has ${value.length}`;
  if (expected === undefined && (value.length < 15 || value.length > 34))
    return `an IBAN has 15 to 34 characters, this has ${value.length}`;
  if (ibanMod97(value) !== 1) return "the check digits do not match (MOD 97)";
  return undefined;
}

/** Whether an IBAN (spaces and case are ignored) has its country's length and passes MOD 97. */
export function ibanIsValid(iban: string): boolean {
  return ibanProblem(compact(iban)) === undefined;
}

export function normalizeIban(raw: string): IdentifierResult | undefined {
  const value = compact(raw);
  if (value === "") return undefined;
  const problem = ibanProblem(value);
  const info = /^[A-Z]{2}/u.test(value) ? { country: value.slice(0, 2) } : undefined;
  return result("iban", value, problem === undefined, problem, info);
}
