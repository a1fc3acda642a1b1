// Normalisers for Mexican identifiers: CURP (RENAPO population registry key), RFC (SAT taxpayer registry) and
// CLABE (Banxico standardised bank account number).
import { clabeCheckDigit, curpCheckDigit, rfcCheckDigit } from "./check-digits.ts";
import { birthYear, compact, type IdentifierInfo, type IdentifierResult, realDate, result } from "./common.ts";

/** RENAPO state-of-birth codes of the 32 federal entities, plus NE (nacido en el extranjero, born abroad). */
export const CURP_STATE_CODES: ReadonlySet<string> = new Set([
  "AS", // Aguascalientes
  "BC", // Baja California
  "BS", // Baja California Sur
  "CC", // Campeche
  "CL", // Coahuila
  "CM", // Colima
  "CS", // Chiapas
  "CH", // Chihuahua
  "DF", // Ciudad de México (still DF in RENAPO's codes)
  "DG", // Durango
  "GT", // Guanajuato
  "GR", // Guerrero
  "HG", // Hidalgo
  "JC", // Jalisco
  "MC", // Estado de México
  "MN", // Michoacán
  "MS", // Morelos
  "NT", // Nayarit
  "NL", // Nuevo León
  "OC", // Oaxaca
  "PL", // Puebla
  "QT", // Querétaro
  "QR", // Quintana Roo
  "SP", // San Luis Potosí
  "SL", // Sinaloa
  "SR", // Sonora
  "TC", // Tabasco
  "TS", // Tamaulipas
  "TL", // Tlaxcala
  "VZ", // Veracruz
  "YN", // Yucatán
  "ZS", // Zacatecas
  "NE", // born abroad
]);

export const CURP_SHAPE = /^[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z]\d$/u;
export const RFC_SHAPE = /^([A-ZÑ&]{3,4})(\d{6})([A-Z0-9]{2}[0-9A])$/u;

export function normalizeCurp(raw: string): IdentifierResult | undefined {
  const value = compact(raw);
  if (value === "") return undefined;
  const length = [...value].length;
  if (length !== 18) return result("curp", value, false, `a CURP has 18 characters, this has ${length}`);
  if (!CURP_SHAPE.test(value)) return result("curp", value, false, "does not have the layout of a CURP");
  const info: IdentifierInfo = { country: "MX" };
  const state = value.slice(11, 13);
  // A digit in position 17 is RENAPO's marker for births before 2000, a letter for 2000 onwards.
  const century = /\d/u.test(value[16] ?? "") ? 1900 : 2000;
  const birthDate = realDate(
    century + Number(value.slice(4, 6)),
    Number(value.slice(6, 8)),
    Number(value.slice(8, 10)),
  );
  if (birthDate) info.birthDate = birthDate;
  if (value[10] === "H") info.sex = "male";
  else if (value[10] === "M") info.sex = "female";
  if (CURP_STATE_CODES.has(state)) info.region = state;
  if (!CURP_STATE_CODES.has(state)) return result("curp", value, false, `"${state}" is not a RENAPO state code`, info);
  if (!birthDate) return result("curp", value, false, `the birth date ${value.slice(4, 10)} does not exist`, info);
  const check = curpCheckDigit(value.slice(0, 17));
  if (check !== value[17]) return result("curp", value, false, `the check digit should be ${check}`, info);
  return result("curp", value, true, undefined, info);
}

export function normalizeRfc(raw: string): IdentifierResult | undefined {
  const value = compact(raw);
  if (value === "") return undefined;
  const length = [...value].length;
  if (length !== 12 && length !== 13)
    return result("rfc", value, false, `an RFC has 13 characters (persona física) or 12 (moral), this has ${length}`);
  const match = RFC_SHAPE.exec(value);
  if (!match || [...(match[1] ?? "")].length !== length - 9)
    return result("rfc", value, false, "does not have the layout of an RFC");
  const physical = length === 13;
  const date = match[2] ?? "";
  const yy = Number(date.slice(0, 2));
  const month = Number(date.slice(2, 4));
  const day = Number(date.slice(4, 6));
  // The RFC does not say the century; the date must exist in the century we assume (or, for 29 February,
  // in at least one of the two candidate centuries, since 1900 was not a leap year and 2000 was).
  const year = birthYear(yy);
  const dated = realDate(year, month, day) ?? realDate(year === 1900 + yy ? 2000 + yy : 1900 + yy, month, day);
  const info: IdentifierInfo = { country: "MX" };
  // Only a natural person's RFC holds a birth date; a company's holds its date of incorporation.
  if (physical && dated) info.birthDate = dated;
  if (!dated) return result("rfc", value, false, `the date ${date} does not exist`, info);
  const chars = [...value];
  const check = rfcCheckDigit(chars.slice(0, -1).join(""));
  if (check !== chars.at(-1)) return result("rfc", value, false, `the check character should be ${check}`, info);
  return result("rfc", value, true, undefined, info);
}

export function normalizeClabe(raw: string): IdentifierResult | undefined {
  const value = compact(raw);
  if (value === "") return undefined;
  if (!/^\d{18}$/u.test(value)) return result("clabe", value, false, "a CLABE has 18 digits");
  const info: IdentifierInfo = { country: "MX", region: value.slice(0, 3) };
  const check = clabeCheckDigit(value.slice(0, 17));
  if (check !== value[17]) return result("clabe", value, false, `the control digit should be ${check}`, info);
  return result("clabe", value, true, undefined, info);
}
