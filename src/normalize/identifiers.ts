// Recognises, canonicalises and validates national and international identifiers (CURP, RFC, SSN, SIN, VIN,
// plates, passports, MRZ, IBAN, CLABE, BTC/ETH addresses, e-mail, phone) for the matching engine. Pure: no I/O.
import {
  compact,
  type IdentifierKind,
  type IdentifierResult,
  type NormalizeOptions,
  result,
} from "./identifiers/common.ts";
import { normalizeEmail, normalizePhone } from "./identifiers/contact.ts";
import { normalizeBtc, normalizeEth } from "./identifiers/crypto-address.ts";
import { normalizeIban } from "./identifiers/iban.ts";
import { CURP_SHAPE, normalizeClabe, normalizeCurp, normalizeRfc, RFC_SHAPE } from "./identifiers/mexico.ts";
import { normalizeSin, normalizeSsn } from "./identifiers/north-america.ts";
import { normalizeMrz, normalizePassport } from "./identifiers/travel-document.ts";
import { normalizePlate, normalizeVin } from "./identifiers/vehicle.ts";

export {
  clabeCheckDigit,
  curpCheckDigit,
  isLuhnValid,
  luhnCheckDigit,
  mrzCheckDigit,
  rfcCheckDigit,
  vinCheckDigit,
} from "./identifiers/check-digits.ts";
export type {
  IdentifierInfo,
  IdentifierKind,
  IdentifierResult,
  NormalizeOptions,
} from "./identifiers/common.ts";
export { ibanIsValid } from "./identifiers/iban.ts";

export const IDENTIFIER_KINDS: readonly IdentifierKind[] = [
  "curp",
  "rfc",
  "ssn",
  "sin",
  "vin",
  "plate",
  "passport",
  "mrz",
  "iban",
  "clabe",
  "btc",
  "eth",
  "email",
  "phone",
];

const NORMALIZERS: Readonly<
  Record<IdentifierKind, (raw: string, options: NormalizeOptions) => IdentifierResult | undefined>
> = {
  curp: normalizeCurp,
  rfc: normalizeRfc,
  ssn: normalizeSsn,
  sin: normalizeSin,
  vin: normalizeVin,
  plate: normalizePlate,
  passport: normalizePassport,
  mrz: normalizeMrz,
  iban: normalizeIban,
  clabe: normalizeClabe,
  btc: normalizeBtc,
  eth: normalizeEth,
  email: normalizeEmail,
  phone: normalizePhone,
};

/**
 * Canonicalises and validates `raw` as an identifier of `kind`; undefined when nothing identifier-like is left
 * after cleaning. Never throws: imported data is arbitrary, and one bad cell must not stop an import.
 */
export function normalizeIdentifier(
  kind: IdentifierKind,
  raw: string,
  options: NormalizeOptions = {},
): IdentifierResult | undefined {
  if (typeof raw !== "string") return undefined;
  const normalizer = NORMALIZERS[kind];
  if (!normalizer) return undefined;
  try {
    return normalizer(raw, options ?? {});
  } catch (error) {
    // A defect in a normaliser (or in libphonenumber) reports the value as invalid rather than failing.
    return result(kind, raw.trim(), false, `could not be checked: ${error instanceof Error ? error.message : "error"}`);
  }
}

const SHAPES: ReadonlyArray<readonly [IdentifierKind, (raw: string, compacted: string) => boolean]> = [
  ["mrz", (raw) => /^P[A-Z<][A-Z<]{3}[A-Z0-9<]{83}$/u.test(raw.toUpperCase().replace(/\s+/gu, ""))],
  ["curp", (_, c) => CURP_SHAPE.test(c)],
  ["rfc", (_, c) => RFC_SHAPE.test(c)],
  ["clabe", (raw) => /^\d{18}$/u.test(raw.replace(/[\s-]+/gu, ""))],
  ["vin", (_, c) => /^[A-HJ-NPR-Z0-9]{17}$/u.test(c) && /[A-Z]/u.test(c) && /\d/u.test(c)],
  ["iban", (_, c) => /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/u.test(c) && /\d{4}/u.test(c.slice(4))],
  ["ssn", (raw) => /^\d{3}([-\s]?)\d{2}\1\d{4}$/u.test(raw.trim())],
  ["sin", (raw) => /^\d{3}([-\s]?)\d{3}\1\d{3}$/u.test(raw.trim())],
  ["btc", (raw) => /^([13][1-9A-HJ-NP-Za-km-z]{25,34}|(bc|BC)1[02-9AC-HJ-NP-Zac-hj-np-z]{6,87})$/u.test(raw.trim())],
  ["eth", (raw) => /^0x[0-9a-f]{40}$/iu.test(raw.trim())],
  ["email", (raw) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/u.test(raw.trim())],
];

/** Kinds with no check digit or distinctive shape: almost any short code fits them, so fitting says little. */
export const GENERIC_IDENTIFIER_KINDS: ReadonlySet<IdentifierKind> = new Set(["phone", "plate", "passport"]);

/**
 * Kinds whose shape `raw` has, most specific first, for columns that do not say what they hold. The generic
 * kinds (phone, plate, passport) fit almost any short code, so they are offered only when no specific kind fits.
 */
export function detectIdentifierKinds(raw: string): IdentifierKind[] {
  if (typeof raw !== "string") return [];
  try {
    const compacted = compact(raw);
    if (compacted === "") return [];
    const kinds = SHAPES.filter(([, fits]) => fits(raw, compacted)).map(([kind]) => kind);
    if (kinds.length > 0) return kinds;
    const digits = raw.replace(/\D/gu, "");
    if (/^\+?[\d\s().-]+$/u.test(raw.trim()) && digits.length >= 7 && digits.length <= 15) kinds.push("phone");
    if (/^[A-Z0-9]{2,10}$/u.test(compacted) && /\d/u.test(compacted)) kinds.push("plate");
    if (/^[A-Z0-9]{5,9}$/u.test(compacted) && /\d/u.test(compacted)) kinds.push("passport");
    return kinds;
  } catch {
    return [];
  }
}
