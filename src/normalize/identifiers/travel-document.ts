// Normalisers for travel documents: bare passport numbers and the two-line TD3 passport machine-readable zone
// (ICAO Doc 9303 part 4), whose check digits catch OCR and typing errors.
import { mrzCheckDigit } from "./check-digits.ts";
import {
  birthYear,
  compact,
  type IdentifierInfo,
  type IdentifierResult,
  type NormalizeOptions,
  realDate,
  result,
} from "./common.ts";

/** TD3 line length (ICAO 9303 part 4). */
const TD3_LINE = 44;

export function normalizePassport(raw: string, options: NormalizeOptions = {}): IdentifierResult | undefined {
  const value = compact(raw, /[\s-]+/gu);
  if (value === "") return undefined;
  const info: IdentifierInfo = {};
  const jurisdiction = options.jurisdiction?.trim().toUpperCase();
  if (jurisdiction) info.jurisdiction = jurisdiction;
  // ICAO's document-number field holds 9 characters; national numbers are at least 5 in practice.
  if (!/^[A-Z0-9]{5,9}$/u.test(value))
    return result("passport", value, false, "a passport number has 5 to 9 letters and digits", info);
  return result("passport", value, true, undefined, info);
}

/** A check digit field matches: the filler "<" stands for 0 where ICAO allows it (empty optional data). */
function checks(field: string, digit: string | undefined): boolean {
  const expected = mrzCheckDigit(field);
  return digit === expected || (digit === "<" && expected === "0" && /^<*$/u.test(field));
}

/**
 * Validates a TD3 MRZ. The canonical value is the document number, so an MRZ matches the passport number
 * recorded elsewhere; the MRZ text itself is not kept.
 */
export function normalizeMrz(raw: string): IdentifierResult | undefined {
  // Whitespace (including the line break) carries no meaning in an MRZ: fillers are "<".
  const text = compact(raw, /\s+/gu);
  if (text === "") return undefined;
  if (text.length !== 2 * TD3_LINE || !/^[A-Z0-9<]+$/u.test(text))
    return result("mrz", text, false, "a passport MRZ has two lines of 44 characters A–Z, 0–9 and <");
  const line1 = text.slice(0, TD3_LINE);
  const line2 = text.slice(TD3_LINE);
  const documentField = line2.slice(0, 9);
  const documentNumber = documentField.replace(/<+$/u, "");
  if (!line1.startsWith("P")) return result("mrz", documentNumber, false, "line 1 of a passport MRZ starts with P");
  const info: IdentifierInfo = {};
  const country = line1.slice(2, 5).replace(/</gu, "");
  if (country) info.country = country;
  const birth = line2.slice(13, 19);
  const birthDate = /^\d{6}$/u.test(birth)
    ? realDate(birthYear(Number(birth.slice(0, 2))), Number(birth.slice(2, 4)), Number(birth.slice(4, 6)))
    : undefined;
  if (birthDate) info.birthDate = birthDate;
  if (line2[20] === "M") info.sex = "male";
  else if (line2[20] === "F") info.sex = "female";
  const problems: string[] = [];
  if (!checks(documentField, line2[9])) problems.push("document number");
  if (!checks(birth, line2[19])) problems.push("birth date");
  if (!checks(line2.slice(21, 27), line2[27])) problems.push("expiry date");
  if (!checks(line2.slice(28, 42), line2[42])) problems.push("optional data");
  const composite = line2.slice(0, 10) + line2.slice(13, 20) + line2.slice(21, 43);
  if (!checks(composite, line2[43])) problems.push("composite");
  if (documentNumber === "") return result("mrz", documentNumber, false, "the document number is empty", info);
  if (problems.length > 0)
    return result("mrz", documentNumber, false, `check digit mismatch: ${problems.join(", ")}`, info);
  return result("mrz", documentNumber, true, undefined, info);
}
