// Types and small helpers shared by the identifier normalisers: the result shape, the cleaning step, and date
// checks for identifiers that embed a birth date.

export type IdentifierKind =
  | "curp"
  | "rfc"
  | "ssn"
  | "sin"
  | "vin"
  | "plate"
  | "passport"
  | "mrz"
  | "iban"
  | "clabe"
  | "btc"
  | "eth"
  | "email"
  | "phone";

export interface IdentifierInfo {
  /** YYYY-MM-DD */
  birthDate?: string;
  sex?: "male" | "female";
  region?: string;
  country?: string;
  jurisdiction?: string;
}

export interface IdentifierResult {
  kind: IdentifierKind;
  /** Canonical form used for comparison. */
  value: string;
  /** Structure and check digit/checksum pass (where the kind has one). */
  valid: boolean;
  info?: IdentifierInfo;
  /** Why it is not valid (or, for a valid value, a caveat), for explanations. */
  problem?: string;
}

export interface NormalizeOptions {
  defaultCountry?: string;
  jurisdiction?: string;
}

/**
 * Upper-cases and removes separators. NFKC first so full-width and compatibility forms typed from other
 * keyboards or OCR ("ＡＢＣ１２３") compare equal to their ASCII forms; repeated until stable because
 * upper-casing can produce characters NFKC changes again, and canonical values must be fixed points.
 */
export function compact(raw: string, separators: RegExp = /[\s\-._/\u00b7]+/gu): string {
  let value = raw;
  for (let i = 0; i < 4; i++) {
    const next = value.normalize("NFKC").toUpperCase().replace(separators, "");
    if (next === value) break;
    value = next;
  }
  return value;
}

/** Builds a result, leaving out empty optional fields so results compare cleanly with deepEqual. */
export function result(
  kind: IdentifierKind,
  value: string,
  valid: boolean,
  problem?: string,
  info?: IdentifierInfo,
): IdentifierResult {
  const out: IdentifierResult = { kind, value, valid };
  if (info && Object.keys(info).length > 0) out.info = info;
  if (problem !== undefined) out.problem = problem;
  return out;
}

/** YYYY-MM-DD when the date exists in the Gregorian calendar, otherwise undefined. */
export function realDate(year: number, month: number, day: number): string | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear keeps the year as given.
  date.setUTCFullYear(year);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * The four-digit year of a two-digit birth year when the identifier does not say the century: a year after
 * the current two-digit year must be last century (nobody is born in the future).
 */
export function birthYear(yy: number, now: Date = new Date()): number {
  const currentYY = now.getUTCFullYear() % 100;
  const century = now.getUTCFullYear() - currentYY;
  return yy > currentYY ? century - 100 + yy : century + yy;
}
